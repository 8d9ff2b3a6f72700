#pragma once

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace procdeck {

class JobFilterProxy;

// The row above the job table, owned by MainWindow: a text box (command or
// output), a status choice, and "N of M jobs shown" while a filter is on.
// Typing is applied after a 150 ms pause, so filtering 100,000 rows happens
// once per pause rather than once per key.
class JobFilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit JobFilterBar(JobFilterProxy *proxy, QWidget *parent = nullptr);

    QLineEdit *textEdit() const { return m_text; }
    QComboBox *statusBox() const { return m_status; }
    QString countText() const;
    // Focuses the text box with its text selected (Ctrl+L, Ctrl+Shift+F).
    void focusText();
    // Applies typed text now instead of after the pause.
    void applyText();
    // Shows "N of M jobs shown" while a filter (the batch one too) is on.
    void refreshCount();

private:
    JobFilterProxy *m_proxy;
    QLineEdit *m_text;
    QComboBox *m_status;
    QLabel *m_count;
    QTimer m_debounce;
};

} // namespace procdeck
