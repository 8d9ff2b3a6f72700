#pragma once

#include "batchbuilder.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace procdeck {

// The form a batch is launched from: a command, either a run count or a
// list of arguments (one job each), the parallel limit and a working
// directory. It only collects input; MainWindow turns it into a batch.
class LaunchPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LaunchPanel(QWidget *parent = nullptr);

    BatchRequest request() const;
    // Fills the form (e.g. from a batch file); runs nothing.
    void setRequest(const BatchRequest &request);
    int parallelJobs() const;
    void setParallelJobs(int jobs);
    // Shows a problem with the input, or clears it with an empty string.
    void showError(const QString &message);
    QString errorText() const;

signals:
    void runRequested();
    void parallelJobsChanged(int jobs);

private:
    void updateJobCount();

    QLineEdit *m_command;
    QSpinBox *m_times;
    QPlainTextEdit *m_arguments;
    QLabel *m_jobCount;
    QSpinBox *m_parallel;
    QLineEdit *m_workingDirectory;
    QLabel *m_error;
    QPushButton *m_run;
};

} // namespace procdeck
