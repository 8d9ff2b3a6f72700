#pragma once

#include <QLabel>

class QAbstractItemModel;
class QAbstractScrollArea;

namespace procdeck {

// Gray text centered over an empty view, saying how to start: shown while
// the model has no rows, gone with the first one. Lives on the view's
// viewport (which owns it) and follows its size; clicks go through.
class EmptyStateHint : public QLabel
{
    Q_OBJECT
public:
    EmptyStateHint(const QString &text, QAbstractScrollArea *view, const QAbstractItemModel *model);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();

    const QAbstractItemModel *m_model;
};

} // namespace procdeck
