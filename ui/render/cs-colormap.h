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

G_END_DECLS
