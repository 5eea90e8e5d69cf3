#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Colour-blind-safe categorical palette. Slots beyond CS_PALETTE_N_COLORS reuse the colours
 * with another marker shape, so 12 × CS_MARKER_N_SHAPES clusters stay distinguishable. */
#define CS_PALETTE_N_COLORS 12

typedef enum
{
  CS_MARKER_CIRCLE,
  CS_MARKER_SQUARE,
  CS_MARKER_TRIANGLE,
  CS_MARKER_DIAMOND,
  CS_MARKER_CROSS,
  CS_MARKER_N_SHAPES
} CsMarker;

/* rgb in 0..1 */
void     cs_palette_color (guint slot, double rgb[3]);
CsMarker cs_palette_marker (guint slot);
/* The colour used for unclustered points and noise. */
void     cs_palette_neutral (double rgb[3]);

/* The palettes a figure may use. HIGH_CONTRAST is for projectors and large rooms: every colour
 * has a contrast ratio of at least 4.5 against white (WCAG 2.1 AA for text, so it also holds
 * for small marks seen from far away), and the noise grey is lighter to stay behind them. */
typedef enum
{
  CS_PALETTE_DEFAULT,
  CS_PALETTE_HIGH_CONTRAST,
} CsPaletteKind;

void     cs_palette_kind_color (CsPaletteKind kind, guint slot, double rgb[3]);
void     cs_palette_kind_neutral (CsPaletteKind kind, double rgb[3]);
/* WCAG 2.1 contrast ratio of two sRGB colours (1 … 21). */
double   cs_palette_contrast (const double a[3], const double b[3]);

G_END_DECLS
