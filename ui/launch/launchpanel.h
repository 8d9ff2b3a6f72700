#pragma once

#include "app/batch/jobbuilder.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace procdeck {

// The form a batch is launched from: a command template (GNU parallel's
// {} {.} {/} ...), either a run count or a list of arguments (one job each;
// typed, pasted, loaded from a file or a numeric range), the parallel
// limit, timeout, retries, stdin, working directory and environment, and a
// live preview of the commands. It only collects input; MainWindow turns
// it into a batch.
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
    // An engine message ("the command is empty: ...") as a sentence.
    static QString asSentence(QString message);
    QString errorText() const;
    // Arguments from a file, one per line. A file up to pasteLimitBytes is
    // pasted into the argument box, to edit; a bigger one stays a file,
    // read as its batch runs (BatchRequest::argumentsFile), so a million
    // lines neither freeze the form nor sit in memory. False after showing
    // why it cannot be read.
    bool loadArguments(const QString &path);
    static constexpr qint64 pasteLimitBytes = 1 << 20;

signals:
    void runRequested();
    void parallelJobsChanged(int jobs);

private:
    // The arguments box shows text; values that are bytes (RawText
    // escapes, from a file or a batch) show U+FFFD and are kept here, used
    // as long as the box still shows them unedited.
    void showArguments(QStringList values);
    QStringList arguments() const;
    void updateJobCount();
    void updatePreview();
    void loadArgumentFile();
    void clearArgumentFile();
    void fillRange();

    QLineEdit *m_command;
    QSpinBox *m_times;
    QPlainTextEdit *m_arguments;
    QStringList m_exactArguments; // see showArguments()
    QString m_shownArguments;
    QLabel *m_jobCount;
    QSpinBox *m_parallel;
    QLineEdit *m_workingDirectory;
    QDoubleSpinBox *m_timeout;
    QSpinBox *m_attempts;
    QComboBox *m_stdinMode;
    QLineEdit *m_stdinText;
    QLineEdit *m_environment;
    QSpinBox *m_rangeFrom;
    QSpinBox *m_rangeTo;
    QPlainTextEdit *m_preview;
    QTimer *m_previewTimer;
    QLabel *m_error;
    QPushButton *m_run;
    QCheckBox *m_usePty = nullptr;
    QToolButton *m_clearFile;
    QString m_argumentFile; // empty: the arguments are the box's
    qint64 m_argumentFileBytes = 0;
    QStringList m_fileHead; // its first lines, for the preview
};

} // namespace procdeck
