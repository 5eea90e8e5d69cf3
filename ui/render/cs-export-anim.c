#include "ui/render/cs-export-anim.h"

#include "core/base/cs-error.h"
#include "core/base/cs-file.h"

#ifdef CS_HAVE_WEBP
#include <webp/encode.h>
#include <webp/mux.h>
#endif

struct _CsAnim
{
  int width;
  int height;
  int frame_ms;
  int timestamp;
#ifdef CS_HAVE_WEBP
  WebPAnimEncoder *enc;
  WebPConfig       config;
#endif
};

gboolean
cs_anim_available (void)
{
#ifdef CS_HAVE_WEBP
  return TRUE;
#else
  return FALSE;
#endif
}

CsAnim *
cs_anim_new (int width, int height, int frame_ms, GError **error)
{
#ifdef CS_HAVE_WEBP
  CsAnim *a;
  WebPAnimEncoderOptions options;

  if (width <= 0 || height <= 0 || width > 16383 || height > 16383)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "An animation of %d × %d pixels is outside WebP's 1–16,383 per side", width, height);
      return NULL;
    }
  a = g_new0 (CsAnim, 1);
  a->width = width;
  a->height = height;
  a->frame_ms = MAX (frame_ms, 1);
  if (!WebPAnimEncoderOptionsInit (&options) || !WebPConfigInit (&a->config))
    {
      g_free (a);
      g_set_error_literal (error, CS_ERROR, CS_ERROR_IO, "The WebP library on this system does not match the one built against");
      return NULL;
    }
  /* Figures are flat colours and text: lossless keeps them sharp and stays small. */
  a->config.lossless = 1;
  a->config.quality = 50;
  a->config.method = 2;
  options.anim_params.loop_count = 0;
  a->enc = WebPAnimEncoderNew (width, height, &options);
  if (a->enc == NULL)
    {
      g_free (a);
      g_set_error_literal (error, CS_ERROR, CS_ERROR_IO, "Could not start a WebP animation");
      return NULL;
    }
  return a;
#else
  g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "This build has no WebP support (libwebp-dev); export the playback as PNG frames instead");
  return NULL;
#endif
}

gboolean
cs_anim_add (CsAnim *anim, CsRenderFunc func, gconstpointer model, double dpi, GError **error)
{
#ifdef CS_HAVE_WEBP
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, anim->width, anim->height);
  cairo_t *cr = cairo_create (s);
  double scale = dpi / 72.0;
  WebPPicture pic;
  gboolean ok;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  func (cr, model, anim->width / scale, anim->height / scale);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  if (!WebPPictureInit (&pic))
    {
      cairo_surface_destroy (s);
      g_set_error_literal (error, CS_ERROR, CS_ERROR_IO, "Could not start a WebP frame");
      return FALSE;
    }
  pic.use_argb = 1;
  pic.width = anim->width;
  pic.height = anim->height;
  /* Cairo's ARGB32 is premultiplied; the frame is painted opaque, so it equals straight alpha. */
  ok = WebPPictureImportBGRA (&pic, cairo_image_surface_get_data (s), cairo_image_surface_get_stride (s))
       && WebPAnimEncoderAdd (anim->enc, &pic, anim->timestamp, &anim->config);
  WebPPictureFree (&pic);
  cairo_surface_destroy (s);
  if (!ok)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_IO, "WebP could not encode frame %d: %s",
                   anim->timestamp / anim->frame_ms + 1, WebPAnimEncoderGetError (anim->enc));
      return FALSE;
    }
  anim->timestamp += anim->frame_ms;
  return TRUE;
#else
  g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "This build has no WebP support");
  return FALSE;
#endif
}

gboolean
cs_anim_write (CsAnim *anim, const char *path, GError **error)
{
#ifdef CS_HAVE_WEBP
  WebPData data;
  gboolean ok;

  WebPDataInit (&data);
  if (!WebPAnimEncoderAdd (anim->enc, NULL, anim->timestamp, NULL) || !WebPAnimEncoderAssemble (anim->enc, &data))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_IO, "WebP could not assemble the animation: %s",
                   WebPAnimEncoderGetError (anim->enc));
      return FALSE;
    }
  ok = cs_write_file_atomic (path, (const char *) data.bytes, data.size, error);
  WebPDataClear (&data);
  return ok;
#else
  g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "This build has no WebP support");
  return FALSE;
#endif
}

void
cs_anim_free (CsAnim *anim)
{
  if (anim == NULL)
    return;
#ifdef CS_HAVE_WEBP
  WebPAnimEncoderDelete (anim->enc);
#endif
  g_free (anim);
}
