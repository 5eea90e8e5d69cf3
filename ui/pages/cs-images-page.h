#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* For image data: each cluster's medoid, or its mean, drawn as an image. */

#define CS_TYPE_IMAGES_PAGE (cs_images_page_get_type ())
G_DECLARE_FINAL_TYPE (CsImagesPage, cs_images_page, CS, IMAGES_PAGE, GtkWidget)

G_END_DECLS
