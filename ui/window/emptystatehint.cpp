#include "ui/window/emptystatehint.h"

#include <QAbstractItemModel>
#include <QAbstractScrollArea>
#include <QEvent>

namespace procdeck {

EmptyStateHint::EmptyStateHint(const QString &text, QAbstractScrollArea *view,
                               const QAbstractItemModel *model)
    : QLabel(text, view->viewport())
    , m_model(model)
{
    setObjectName(QStringLiteral("emptyStateHint"));
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    setMargin(24);
    setAttribute(Qt::WA_TransparentForMouseEvents);
    // The gray of placeholder text, in light and dark themes alike.
    setForegroundRole(QPalette::PlaceholderText);
    view->viewport()->installEventFilter(this);
    connect(model, &QAbstractItemModel::rowsInserted, this, &EmptyStateHint::refresh);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &EmptyStateHint::refresh);
    connect(model, &QAbstractItemModel::modelReset, this, &EmptyStateHint::refresh);
    resize(view->viewport()->size());
    refresh();
}

bool EmptyStateHint::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize)
        resize(parentWidget()->size());
    return QLabel::eventFilter(watched, event);
}

void EmptyStateHint::refresh()
{
    setVisible(m_model->rowCount() == 0);
}

} // namespace procdeck
