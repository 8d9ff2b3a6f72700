#pragma once

#include "app/export/logexporter.h"

#include <QDialog>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace procdeck {

// File > Export...: pick a format, which jobs (all, the shown batch, the
// selected rows) and where. Remembers the last choices (QSettings). Opened
// with open(), never exec(): the window keeps running while it shows. On an
// error it stays open and says what went wrong; nothing half-written is left.
class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    enum Scope { AllJobs, ShownBatch, SelectedRows };

    ExportDialog(QWidget *parent = nullptr);

    // What each scope covers right now; empty scopes are disabled.
    void setScopes(const QList<int> &all, const QList<int> &batch, int batchId,
                   const QList<int> &selected);

    ExportFormat format() const;
    void setFormat(ExportFormat format);
    Scope scope() const;
    void setScope(Scope scope);
    QString path() const;
    void setPath(const QString &path);
    QList<int> jobs() const;
    QString errorText() const;

signals:
    // The user asked to export; MainWindow writes and calls finish().
    void exportRequested();

public slots:
    // Closes on success, or shows the error and stays open.
    void finish(bool ok, const QString &message);

private:
    void browse();
    void rememberChoices() const;

    QComboBox *m_format;
    QButtonGroup *m_scopes;
    QRadioButton *m_all;
    QRadioButton *m_batch;
    QRadioButton *m_selected;
    QLineEdit *m_path;
    QLabel *m_error;
    QList<int> m_jobs[3];
};

} // namespace procdeck
