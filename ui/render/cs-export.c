#include "ui/render/cs-export.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "core/base/cs-error.h"
#include "core/base/cs-file.h"

/* Largest PNG side we agree to make: 20,000 px is 1.7 m at 300 dpi, and keeps a figure
 * under ~1.6 GB of pixels. */
#define MAX_PIXELS 20000.0

gboolean
cs_export_format_from_path (const char     *path,
                            CsExportFormat *format)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);

  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    *format = CS_EXPORT_PNG;
  else if (g_ascii_strcasecmp (dot, ".svg") == 0)
    *format = CS_EXPORT_SVG;
  else if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    *format = CS_EXPORT_PDF;
  else
    return FALSE;
  return TRUE;
}

typedef struct
{
  FILE *fp;
  int   error; /* errno of the first failed write, or 0 */
} Sink;

static cairo_status_t
sink_write (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  Sink *sink = closure;

  if (sink->error != 0)
    return CAIRO_STATUS_WRITE_ERROR;
  if (fwrite (data, 1, length, sink->fp) != length)
    {
      sink->error = errno != 0 ? errno : EIO;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  return CAIRO_STATUS_SUCCESS;
}

static const char *
format_name (CsExportFormat format)
{
  switch (format)
    {
    case CS_EXPORT_PNG:
      return "PNG";
    case CS_EXPORT_SVG:
      return "SVG";
    case CS_EXPORT_PDF:
      return "PDF";
    default:
      return "figure";
    }
}

/* Draws into `surface` (already bound to the sink) and finishes it; the status says
 * whether cairo could render and write everything. */
static cairo_status_t
render_to (cairo_surface_t *surface,
           CsRenderFunc     func,
           gconstpointer    model,
           double           scale_x,
           double           scale_y,
           double           width_pt,
           double           height_pt)
{
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status;

  cairo_scale (cr, scale_x, scale_y);
  func (cr, model, width_pt, height_pt);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_flush (surface);
      status = cairo_surface_status (surface);
    }
  return status;
}

gboolean
cs_render_export (CsRenderFunc   func,
                  gconstpointer  model,
                  const char    *path,
                  CsExportFormat format,
                  double         width_mm,
                  double         height_mm,
                  double         dpi,
                  GError       **error)
{
  g_autoptr (CsAtomicFile) file = NULL;
  double width_pt;
  double height_pt;
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  Sink sink = { NULL, 0 };

  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(width_mm > 0 && height_mm > 0 && isfinite (width_mm) && isfinite (height_mm)))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Cannot write ‘%s’: the figure size %g × %g mm must be positive",
                   path, width_mm, height_mm);
      return FALSE;
    }
  if (format == CS_EXPORT_PNG && !(dpi > 0 && isfinite (dpi)))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Cannot write ‘%s’: the resolution %g dpi must be positive (300 suits print)",
                   path, dpi);
      return FALSE;
    }
  if (!(dpi > 0 && isfinite (dpi)))
    dpi = 300.0;

  width_pt = width_mm / 25.4 * 72.0;
  height_pt = height_mm / 25.4 * 72.0;

  if (format == CS_EXPORT_PNG
      && (width_mm / 25.4 * dpi > MAX_PIXELS || height_mm / 25.4 * dpi > MAX_PIXELS))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE,
                   "Cannot write ‘%s’: %.0f × %.0f pixels is more than %.0f a side; "
                   "lower the resolution or export SVG or PDF",
                   path, width_mm / 25.4 * dpi, height_mm / 25.4 * dpi, MAX_PIXELS);
      return FALSE;
    }

  /* Written beside `path` and put in place only when complete (core/base/cs-file.h). */
  file = cs_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  sink.fp = cs_atomic_file_get_stream (file);

  switch (format)
    {
    case CS_EXPORT_PNG:
      {
        int w = MAX (1, (int) lround (width_mm / 25.4 * dpi));
        int h = MAX (1, (int) lround (height_mm / 25.4 * dpi));

        /* The render function works in points here as in SVG/PDF, so a PNG is the same
         * figure as a PDF of the same size, only sampled. */
        surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
        status = render_to (surface, func, model, w / width_pt, h / height_pt, width_pt, height_pt);
        if (status == CAIRO_STATUS_SUCCESS)
          status = cairo_surface_write_to_png_stream (surface, sink_write, &sink);
      }
      break;
    case CS_EXPORT_SVG:
      surface = cairo_svg_surface_create_for_stream (sink_write, &sink, width_pt, height_pt);
      cairo_svg_surface_restrict_to_version (surface, CAIRO_SVG_VERSION_1_1);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PT);
      /* The point layer of a large scatter is rasterised at this resolution. */
      cairo_surface_set_fallback_resolution (surface, dpi, dpi);
      status = render_to (surface, func, model, 1.0, 1.0, width_pt, height_pt);
      cairo_surface_finish (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (surface);
      break;
    case CS_EXPORT_PDF:
      surface = cairo_pdf_surface_create_for_stream (sink_write, &sink, width_pt, height_pt);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Clusterscope " CS_VERSION);
      cairo_surface_set_fallback_resolution (surface, dpi, dpi);
      status = render_to (surface, func, model, 1.0, 1.0, width_pt, height_pt);
      cairo_surface_finish (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (surface);
      break;
    default:
      status = CAIRO_STATUS_INVALID_FORMAT;
      break;
    }
  if (surface != NULL)
    cairo_surface_destroy (surface);

  if (sink.error != 0 || status != CAIRO_STATUS_SUCCESS)
    {
      if (sink.error != 0)
        g_set_error (error, CS_ERROR, CS_ERROR_IO, "Cannot write ‘%s’: %s",
                     path, g_strerror (sink.error));
      else
        g_set_error (error, CS_ERROR, CS_ERROR_IO, "Cannot write the %s figure ‘%s’: %s",
                     format_name (format), path, cairo_status_to_string (status));
      return FALSE;
    }
  return cs_atomic_file_commit (g_steal_pointer (&file), error);
}
