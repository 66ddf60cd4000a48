"""Two small charts painted with QPainter: grouped bars (Overview: records per table) and
a line with points (History: a metric per run).

QtCharts drew them before; with the OpenGL libraries it links it was 4 MB of the bundle
for two plain charts. A caller may rely on ``categories``, ``series`` and ``points``
holding what is drawn, and on a tooltip naming the bar or point under the mouse.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

MARGIN = 8  # pixels around the plot
TICK = 4  # length of an axis tick


@dataclass(frozen=True)
class QtChartSeries:
    """One bar set: its legend name, colour and one value per category."""

    name: str
    colour: QColor
    values: tuple[float, ...]


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """0 and about ``count`` round steps (1, 2 or 5 × 10ⁿ) reaching at least ``top``."""
    top = max(float(top), 1.0)
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0)  # counts: no ticks between whole numbers
    return [k * step for k in range(math.ceil(top / step - 1e-9) + 1)]


def integer(value: float) -> str:
    return f"{value:,.0f}"


class QtChart(QWidget):
    """Title, a value axis on the left with grid lines, a category or number axis at the
    bottom and an optional legend; subclasses draw the plot and say what is under a point."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.y_ticks: list[float] = [0.0, 1.0]
        self.y_label: Callable[[float], str] = integer
        self.legend_visible = True
        self.setMouseTracking(True)

    def set_title(self, title: str) -> None:
        self.title = title
        self.update()

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 150)

    # -- layout -------------------------------------------------------------------------

    def _legend(self) -> list[tuple[str, QColor]]:
        return []

    def plot_rect(self) -> QRectF:
        """Where the plot goes: inside the title, the axes' labels and the legend."""
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        left = (
            MARGIN
            + TICK
            + 4
            + max(metrics.horizontalAdvance(self.y_label(t)) for t in self.y_ticks)
        )
        top = MARGIN + (line * 1.6 if self.title else line / 2)
        bottom = MARGIN + TICK + line + 2
        if self.legend_visible and self._legend():
            bottom += line + 6
        return QRectF(
            left, top, self.width() - left - MARGIN - line / 2, self.height() - top - bottom
        )

    def y_position(self, value: float, plot: QRectF) -> float:
        top = self.y_ticks[-1] or 1.0
        return plot.bottom() - (value - self.y_ticks[0]) / (top - self.y_ticks[0]) * plot.height()

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        grid.setAlpha(110)
        metrics = painter.fontMetrics()
        plot = self.plot_rect()
        if plot.width() < 10 or plot.height() < 10:
            return
        if self.title:
            font = painter.font()
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(text)
            painter.drawText(QRectF(0, MARGIN, self.width(), metrics.height() * 1.4),
                             Qt.AlignmentFlag.AlignCenter, self.title)  # fmt: skip
            font.setBold(False)
            painter.setFont(font)
        for tick in self.y_ticks:
            y = self.y_position(tick, plot)
            painter.setPen(
                QPen(
                    grid,
                    1,
                    Qt.PenStyle.SolidLine if tick == self.y_ticks[0] else Qt.PenStyle.DotLine,
                )
            )
            painter.drawLine(QPointF(plot.left() - TICK, y), QPointF(plot.right(), y))
            painter.setPen(text)
            label = QRectF(0, y - metrics.height() / 2, plot.left() - TICK - 4, metrics.height())
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             self.y_label(tick))  # fmt: skip
        self._paint_plot(painter, plot, text, grid)
        legend = self._legend() if self.legend_visible else []
        if legend:
            box = metrics.height() * 0.7
            widths = [box + 6 + metrics.horizontalAdvance(name) + 18 for name, _ in legend]
            x = max(0.0, (self.width() - sum(widths)) / 2)
            y = self.height() - MARGIN - metrics.height()
            for (name, colour), width in zip(legend, widths, strict=True):
                painter.fillRect(QRectF(x, y + (metrics.height() - box) / 2, box, box), colour)
                painter.setPen(text)
                painter.drawText(QRectF(x + box + 6, y, width, metrics.height()),
                                 Qt.AlignmentFlag.AlignVCenter, name)  # fmt: skip
                x += width
        painter.end()

    def _paint_plot(self, painter: QPainter, plot: QRectF, text: QColor, grid: QColor) -> None:
        raise NotImplementedError

    def tooltip_at(self, point: QPointF) -> str:
        return ""

    def mouseMoveEvent(self, event: object) -> None:
        position = event.position()  # type: ignore[attr-defined]
        tip = self.tooltip_at(position)
        if tip:
            QToolTip.showText(event.globalPosition().toPoint(), tip, self)  # type: ignore[attr-defined]
        else:
            QToolTip.hideText()


class QtBarChart(QtChart):
    """Bars grouped by category (a table), one bar per series (matched, to review, ...)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.categories: list[str] = []
        self.series: list[QtChartSeries] = []

    def set_bars(self, categories: Sequence[str], series: Sequence[QtChartSeries]) -> None:
        """``series``' values line up with ``categories``."""
        self.categories = list(categories)
        self.series = list(series)
        self.y_ticks = nice_ticks(max((v for s in self.series for v in s.values), default=1))
        self.update()

    def values(self, name: str) -> list[float]:
        """The values of the series called ``name``, one per category."""
        return next(list(s.values) for s in self.series if s.name == name)

    def _legend(self) -> list[tuple[str, QColor]]:
        return [(s.name, s.colour) for s in self.series]

    def bar_rects(self, plot: QRectF | None = None) -> list[tuple[int, int, QRectF]]:
        """(category index, series index, rectangle) of every bar."""
        plot = plot if plot is not None else self.plot_rect()
        if not self.categories or not self.series:
            return []
        group = plot.width() / len(self.categories)
        width = group * 0.7 / len(self.series)
        rects = []
        for c in range(len(self.categories)):
            left = plot.left() + c * group + group * 0.15
            for s, series in enumerate(self.series):
                y = self.y_position(series.values[c], plot)
                rects.append((c, s, QRectF(left + s * width, y, width - 1, plot.bottom() - y)))
        return rects

    def _paint_plot(self, painter: QPainter, plot: QRectF, text: QColor, grid: QColor) -> None:
        for _, s, rect in self.bar_rects(plot):
            painter.fillRect(rect, self.series[s].colour)
        if not self.categories:
            return
        metrics = painter.fontMetrics()
        group = plot.width() / len(self.categories)
        painter.setPen(text)
        for c, name in enumerate(self.categories):
            x = plot.left() + c * group
            painter.setPen(QPen(grid, 1))
            painter.drawLine(
                QPointF(x + group, plot.bottom()), QPointF(x + group, plot.bottom() + TICK)
            )
            painter.setPen(text)
            label = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, int(group) - 4)
            painter.drawText(QRectF(x, plot.bottom() + TICK + 1, group, metrics.height()),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)  # fmt: skip

    def tooltip_at(self, point: QPointF) -> str:
        for c, s, rect in self.bar_rects():
            if rect.adjusted(0, -2, 0, 0).contains(point):
                series = self.series[s]
                return f"{self.categories[c]} · {series.name}: {integer(series.values[c])}"
        return ""


class QtLineChart(QtChart):
    """A line through one point per run (x = 1, 2, ...), on a fixed value range."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = ""
        self.colour = QColor("#2e7d5b")
        self.points: list[tuple[float, float]] = []
        self.x_range = (0.5, 1.5)
        self.x_step = 1
        self.legend_visible = False

    def set_range(self, bottom: float, top: float, step: float) -> None:
        """The value axis from ``bottom`` to ``top``, a grid line every ``step``."""
        count = round((top - bottom) / step)
        self.y_ticks = [bottom + k * step for k in range(count + 1)]
        self.update()

    def set_points(self, name: str, points: Sequence[tuple[float, float]]) -> None:
        """``points`` as (run number, value); the x axis shows at most about ten numbers."""
        self.name = name
        self.points = [(float(x), float(y)) for x, y in points]
        runs = max(1, len(self.points))
        self.x_step = max(1, -(-runs // 10))
        self.x_range = (0.5, runs + 0.5)  # a lone run sits mid-chart
        self.update()

    def _legend(self) -> list[tuple[str, QColor]]:
        return [(self.name, self.colour)]

    def point_position(self, x: float, y: float, plot: QRectF | None = None) -> QPointF:
        plot = plot if plot is not None else self.plot_rect()
        low, high = self.x_range
        return QPointF(
            plot.left() + (x - low) / (high - low) * plot.width(), self.y_position(y, plot)
        )

    def _paint_plot(self, painter: QPainter, plot: QRectF, text: QColor, grid: QColor) -> None:
        metrics = painter.fontMetrics()
        low, high = self.x_range
        x = 1
        while x <= high:
            if x >= low:
                at = self.point_position(x, self.y_ticks[0], plot).x()
                painter.setPen(QPen(grid, 1))
                painter.drawLine(QPointF(at, plot.bottom()), QPointF(at, plot.bottom() + TICK))
                painter.setPen(text)
                painter.drawText(QRectF(at - 30, plot.bottom() + TICK + 1, 60, metrics.height()),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, str(x))  # fmt: skip
            x += self.x_step
        positions = [self.point_position(x, y, plot) for x, y in self.points]
        painter.setPen(QPen(self.colour, 2))
        painter.drawPolyline(positions)
        painter.setBrush(self.colour)
        for position in positions:
            painter.drawEllipse(position, 3.5, 3.5)

    def tooltip_at(self, point: QPointF) -> str:
        for x, y in self.points:
            if (self.point_position(x, y) - point).manhattanLength() <= 8:
                return f"{self.name} · {x:.0f}: {y:,.1f}"
        return ""
