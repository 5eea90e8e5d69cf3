#pragma once

#include "ui/render/cs-render.h"

G_BEGIN_DECLS

typedef enum
{
  CS_EXPORT_PNG,
  CS_EXPORT_SVG,
  CS_EXPORT_PDF,
} CsExportFormat;

/* From a file name's extension (case-insensitive .png .svg .pdf). */
gboolean cs_export_format_from_path (const char *path, CsExportFormat *format);

/* Renders `func(model)` into a file of width_mm × height_mm; PNG at `dpi` pixels per inch,
 * SVG/PDF in points with text and axes as vectors. Written atomically (cs_atomic_file_new):
 * a failure or a kill never leaves a half-written figure or a temporary file. */
gboolean cs_render_export (CsRenderFunc   func,
                           gconstpointer  model,
                           const char    *path,
                           CsExportFormat format,
                           double         width_mm,
                           double         height_mm,
                           double         dpi,
                           GError       **error);

G_END_DECLS
