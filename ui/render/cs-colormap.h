#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sequential colour maps for density surfaces: three perceptually uniform ones (viridis,
 * magma, cividis) and a grey ramp for print, each a table of CS_COLORMAP_SIZE sRGB colours
 * sampled from matplotlib's published maps (see resources/data/SOURCES.md). Entry 0 is the
 * lowest value and the last entry the highest. */
#define CS_COLORMAP_SIZE 256

typedef enum
{
  CS_COLORMAP_VIRIDIS,
  CS_COLORMAP_MAGMA,
  CS_COLORMAP_CIVIDIS,
  CS_COLORMAP_GREY,   /* white (low) to black (high), matplotlib's "Greys" */
  CS_COLORMAP_N
} CsColormap;

/* Entry i (clamped to the table) as 0xRRGGBB. */
guint32     cs_colormap_entry (CsColormap map, guint i);
/* The colour at t in [0, 1] (clamped; NaN gives the lowest colour), nearest entry, rgb in 0..1. */
void        cs_colormap_rgb (CsColormap map, double t, double rgb[3]);
/* Lower-case name ("viridis", "magma", "cividis", "grey"). */
const char *cs_colormap_name (CsColormap map);
/* Accepts the names above (case-insensitive) and "gray"/"greys". */
gboolean    cs_colormap_from_name (const char *name, CsColormap *map);

/* Diverging map for signed quantities (effect sizes, Shapley contributions) on a symmetric
 * scale: t in [−1, 1] (clamped; NaN gives the neutral colour), rgb in 0..1.
 *   t = 0   neutral near-white (#f7f7f7)
 *   t > 0   blue, darkening to #26538b at +1: the favourable / positive end
 *   t < 0   orange to brown, #7c4101 at −1: the unfavourable / negative end
 * Our own scheme: a path through Oklab with lightness falling linearly in |t| and the same on
 * both sides, so equal |t| reads as equal strength; blue against orange stays apart under
 * the common colour-vision deficiencies. */
void        cs_colormap_diverging_rgb (double t, double rgb[3]);

G_END_DECLS
