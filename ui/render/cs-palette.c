#include "ui/render/cs-palette.h"

#include <math.h>

/* Okabe & Ito's eight colours ("Color Universal Design", 2008) followed by four of Paul
 * Tol's (indigo, wine and olive from "muted", dark yellow from "dark"; Tol, "Colour
 * Schemes", SRON/EPS/TN/09-002). The four were chosen by simulating deuteranopia,
 * protanopia and tritanopia (Machado et al. 2009, severity 1) and keeping the set whose
 * closest pair, neutral grey included, stays furthest apart in CIELAB (ΔE ≥ 13.5).
 * Yellow is late in the order because it is the weakest on a white background. */
static const guint32 colors[CS_PALETTE_N_COLORS] = {
  0x0072B2, /* blue */
  0xE69F00, /* orange */
  0x009E73, /* bluish green */
  0xD55E00, /* vermillion */
  0xCC79A7, /* reddish purple */
  0x56B4E9, /* sky blue */
  0x000000, /* black */
  0xF0E442, /* yellow */
  0x332288, /* Tol indigo */
  0x882255, /* Tol wine */
  0x999933, /* Tol olive */
  0x666633, /* Tol dark yellow */
};

/* Tol's grey: light enough to recede behind every cluster colour. */
static const guint32 neutral = 0xBBBBBB;

static void
unpack (guint32 c,
        double  rgb[3])
{
  rgb[0] = ((c >> 16) & 0xff) / 255.0;
  rgb[1] = ((c >> 8) & 0xff) / 255.0;
  rgb[2] = (c & 0xff) / 255.0;
}

void
cs_palette_color (guint  slot,
                  double rgb[3])
{
  unpack (colors[slot % CS_PALETTE_N_COLORS], rgb);
}

CsMarker
cs_palette_marker (guint slot)
{
  return (CsMarker) ((slot / CS_PALETTE_N_COLORS) % CS_MARKER_N_SHAPES);
}

void
cs_palette_neutral (double rgb[3])
{
  unpack (neutral, rgb);
}

/* Okabe & Ito's hues darkened until each reaches a contrast of 4.5 against white, in the same
 * order (so cluster j keeps its hue when presenter mode switches palettes), then four darker
 * Tol colours. Yellow cannot be dark and stay yellow: it becomes an ochre. */
static const guint32 high_contrast[CS_PALETTE_N_COLORS] = {
  0x005A8E, /* blue */
  0x9A5B00, /* orange → dark orange */
  0x00704F, /* bluish green */
  0xB04800, /* vermillion */
  0x9C3F78, /* reddish purple */
  0x1F6E9E, /* sky blue → steel blue */
  0x000000, /* black */
  0x7A6A00, /* yellow → ochre */
  0x332288, /* Tol indigo */
  0x882255, /* Tol wine */
  0x5E5E1F, /* Tol olive, darker */
  0x4D4D26, /* Tol dark yellow, darker */
};

static const guint32 high_contrast_neutral = 0xD0D0D0;

void
cs_palette_kind_color (CsPaletteKind kind,
                       guint         slot,
                       double        rgb[3])
{
  if (kind == CS_PALETTE_HIGH_CONTRAST)
    unpack (high_contrast[slot % CS_PALETTE_N_COLORS], rgb);
  else
    cs_palette_color (slot, rgb);
}

void
cs_palette_kind_neutral (CsPaletteKind kind,
                         double        rgb[3])
{
  unpack (kind == CS_PALETTE_HIGH_CONTRAST ? high_contrast_neutral : neutral, rgb);
}

static double
luminance (const double c[3])
{
  double l[3];

  for (int i = 0; i < 3; i++)
    l[i] = c[i] <= 0.04045 ? c[i] / 12.92 : pow ((c[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

double
cs_palette_contrast (const double a[3],
                     const double b[3])
{
  double la = luminance (a);
  double lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}
