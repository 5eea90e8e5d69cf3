#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Called with the chosen matrix's path inside the file, or NULL when the dialog was
 * cancelled or closed. */
typedef void (*CsHdf5PickedFunc) (const char *object, gpointer user_data);

/* A modal dialog listing the matrices of an HDF5 file (CsHdf5Entry*, borrowed for the call:
 * the rows are copied) with their shapes, to choose the one to open. Shown at once; it
 * destroys itself after calling `picked` exactly once. */
GtkWidget *cs_hdf5_picker_show (GtkWindow       *parent,
                                const char      *file_name,
                                GPtrArray       *entries,
                                CsHdf5PickedFunc picked,
                                gpointer         user_data,
                                GDestroyNotify   destroy);

G_END_DECLS
