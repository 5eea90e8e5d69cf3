#include "ui/render/cs-palette.h"

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
