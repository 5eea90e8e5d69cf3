#pragma once

/* The look every figure shares: text sizes, spacing, marks and colours, in user units
 * (one logical pixel on screen, one point in exports; see cs-render.h). Every renderer
 * and the plot widget take them from here, so the scatter plot, the other views, their
 * exports and the CLI's figures read as one family, and a change of style is one edit. */

/* Text ------------------------------------------------------------------------------- */

#define CS_STYLE_FONT            "Cantarell, DejaVu Sans, Sans"
#define CS_STYLE_TITLE_SIZE      14.5 /* a figure's title */
#define CS_STYLE_LABEL_SIZE      12.0 /* axis titles */
#define CS_STYLE_SMALL_SIZE      11.0 /* legends, captions, annotations */
#define CS_STYLE_TICK_SIZE       10.5 /* tick labels, names beside bars */
#define CS_STYLE_NOTE_SIZE       9.5  /* labels on marks inside a plot (contour masses) */
/* The smallest text a view shrinks to before it leaves text out (at 1024 × 700 every
 * view's headers stay at CS_STYLE_SMALL_SIZE or above). */
#define CS_STYLE_MIN_TEXT_SIZE   8.0
#define CS_STYLE_WEIGHT_NORMAL   400
#define CS_STYLE_WEIGHT_SEMIBOLD 600

/* Spacing ---------------------------------------------------------------------------- */

#define CS_STYLE_PAD             14.0 /* canvas edge to any text or frame */
#define CS_STYLE_TICK_GAP        6.0  /* frame to tick labels */
#define CS_STYLE_CAPTION_GAP     6.0  /* an image or panel to its caption */
#define CS_STYLE_MAX_TICKS       32
#define CS_STYLE_LEGEND_GAP      20.0 /* plot frame to a legend beside it */
#define CS_STYLE_LEGEND_SWATCH   16.0 /* swatch column of a legend entry */
#define CS_STYLE_LEGEND_ROW      1.7  /* legend row height, × CS_STYLE_SMALL_SIZE */
#define CS_STYLE_LEGEND_COL_GAP  18.0 /* between columns of a legend above a plot */
#define CS_STYLE_COLORBAR_WIDTH  12.0
#define CS_STYLE_COLORBAR_GAP    18.0 /* plot to its colour bar */

/* Marks ------------------------------------------------------------------------------ */

#define CS_STYLE_SWATCH_RADIUS   4.5  /* a legend's marker */
#define CS_STYLE_CENTER_ARM      7.0  /* half the span of a centroid's plus */
#define CS_STYLE_MEDOID_RADIUS   6.0  /* a medoid's diamond */
#define CS_STYLE_HOVER_RADIUS    8.0  /* how near the pointer a point counts as hovered */

/* Colours, RGB in 0..1, as `const double[3]` ------------------------------------------ */

#define CS_STYLE_RGB(r, g, b)     ((const double[3]){ (r), (g), (b) })
#define CS_STYLE_RGB_BACKGROUND   CS_STYLE_RGB (1.0, 1.0, 1.0)
#define CS_STYLE_RGB_GRID         CS_STYLE_RGB (0.902, 0.906, 0.914)
#define CS_STYLE_RGB_FRAME        CS_STYLE_RGB (0.80, 0.81, 0.82)
#define CS_STYLE_RGB_TICK         CS_STYLE_RGB (0.40, 0.41, 0.43)
#define CS_STYLE_RGB_LABEL        CS_STYLE_RGB (0.22, 0.23, 0.24)
#define CS_STYLE_RGB_TITLE        CS_STYLE_RGB (0.10, 0.10, 0.11)
#define CS_STYLE_RGB_INK          CS_STYLE_RGB (0.11, 0.11, 0.12)
/* Points of a dataset that has not been clustered yet: a darker cousin of the neutral
 * grey, which is reserved for noise and would look washed out on its own. */
#define CS_STYLE_RGB_UNCLUSTERED  CS_STYLE_RGB (0.38, 0.42, 0.47)
/* Keyboard focus around the plot widget (Adwaita's accent blue). */
#define CS_STYLE_RGB_FOCUS        CS_STYLE_RGB (0.21, 0.52, 0.89)

/* Presenter mode ---------------------------------------------------------------------- */

/* How much larger text, line widths and marks are in presenter mode, and its palette (a
 * CsPaletteKind, cs-palette.h). Every renderer honours both without code of its own: the
 * scatter plot's widget and every CsFigureView draw through cs_render_presented
 * (cs-render.h), which lays the figure out at 1 / scale of the canvas and draws it under
 * cairo_scale (scale, scale), so every size in user units above grows and the layout still
 * fits, and stores the palette on the cairo context, where the renderers' colour helpers
 * (cs_i_render_color, cs_i_view_cluster_rgb) read it. Exports never present: a file's text
 * is sized in points for the page it goes on, whatever the screen showed. */
#define CS_STYLE_PRESENTER_SCALE   1.6
#define CS_STYLE_PRESENTER_PALETTE CS_PALETTE_HIGH_CONTRAST
