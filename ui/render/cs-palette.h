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

G_END_DECLS
