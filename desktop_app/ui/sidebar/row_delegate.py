"""Paints the sidebar's rows (a rounded background, the title elided, "⋯" on hover or the current
row) and its group headers, and edits a title in place (Enter keeps it, Esc puts it back)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QObject, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QLineEdit, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop_app.ui.platform.icons import icon
from desktop_app.ui.sidebar import sidebar_look as look
from desktop_app.ui.sidebar.conversation_model import AnyIndex, ConversationRole, TitleRole
from desktop_app.ui.sidebar.grouped_model import HeaderRole


class RowDelegate(QStyledItemDelegate):
    """``hovered`` (and ``more_hovered``, the mouse on its "⋯") are kept up to date by the view."""

    def __init__(self, parent: QObject | None = None) -> None:
        self.hovered = QPersistentModelIndex()
        self.more_hovered = False
        super().__init__(parent)

    # -- sizes -----------------------------------------------------------------------------------

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        if index.data(HeaderRole) is not None:
            metrics = QFontMetrics(look.header_font(option.font))
            gap = look.HEADER_GAP if index.row() > 0 else 2
            return QSize(100, metrics.height() + gap + 6)
        return QSize(100, QFontMetrics(option.font).height() + 2 * look.ROW_PADDING)

    def shows_more(self, option: QStyleOptionViewItem, index: AnyIndex) -> bool:
        """The "⋯" button is drawn (and clickable) on the row under the mouse and the current row."""
        if index.data(HeaderRole) is not None:
            return False
        current = QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_Selected
        return bool(option.state & current) or (self.hovered.isValid() and self.hovered.row() == index.row())

    # -- painting --------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        palette: QPalette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        group = index.data(HeaderRole)
        if group is not None:
            self._paint_header(painter, option, str(group))
        else:
            self._paint_row(painter, option, index, palette)
        painter.restore()

    def _paint_header(self, painter: QPainter, option: QStyleOptionViewItem, label: str) -> None:
        font = look.header_font(option.font)
        painter.setFont(font)
        painter.setPen(look.header_colour(option.palette))
        text_rect = option.rect.adjusted(look.SIDE_MARGIN + look.TEXT_INDENT, 0, -look.SIDE_MARGIN, -3)
        text = QFontMetrics(font).elidedText(label, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, text)

    def _paint_row(
        self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex, palette: QPalette
    ) -> None:
        back = look.row_background(option.rect)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = self.hovered.isValid() and self.hovered.row() == index.row()
        if selected or hovered:
            fill = look.selected_fill(palette) if selected else look.hover_fill(palette)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(back, look.RADIUS, look.RADIUS)
        if option.state & QStyle.StateFlag.State_HasFocus:  # the keyboard's place: a visible ring
            pen = painter.pen()
            pen.setColor(look.focus_ring(palette))
            pen.setWidthF(1.5)
            pen.setStyle(Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(back.adjusted(1, 1, -1, -1), look.RADIUS - 1, look.RADIUS - 1)
        more = self.shows_more(option, index)
        right = look.MORE_SIZE + 6 if more else 0
        text_rect = back.adjusted(look.TEXT_INDENT, 0, -look.TEXT_INDENT - right, 0)
        conversation = index.data(ConversationRole)
        if getattr(conversation, "origin_id", ""):  # a branch: its mark before the title
            glyph = QRect(0, 0, look.ICON_SIZE, look.ICON_SIZE)
            glyph.moveCenter(QPoint(text_rect.left() + look.ICON_SIZE // 2, text_rect.center().y()))
            icon("branch").paint(painter, glyph)
            text_rect.setLeft(text_rect.left() + look.ICON_SIZE + 4)
        metrics = QFontMetrics(option.font)
        title = metrics.elidedText(
            str(index.data(TitleRole) or ""), Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.setFont(option.font)
        painter.setPen(look.title_colour(palette))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
        if more:
            button = look.more_button(option.rect)
            if self.more_hovered and hovered:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(look.button_hover_fill(palette))
                painter.drawRoundedRect(button, 6, 6)
            glyph = QRect(0, 0, look.ICON_SIZE, look.ICON_SIZE)
            glyph.moveCenter(button.center())
            icon("more").paint(painter, glyph)

    # -- editing in place ------------------------------------------------------------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setAccessibleName("Conversation title")
        editor.setMaxLength(500)
        editor.setAutoFillBackground(True)  # the title under it must not show through
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(TitleRole) or ""))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QLineEdit) and editor.text().strip():
            model.setData(index, editor.text().strip(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        back = look.row_background(option.rect)
        editor.setGeometry(back.adjusted(look.TEXT_INDENT - 4, 3, -4, -3))
