#include "core/data/cs-hdf5.h"
#include "core/data/cs-load-private.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-matrix.h"

#include <hdf5.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Debian's libhdf5 is built thread-safe, but its error stack and open-object table are
 * process-wide: one reader at a time keeps messages and cleanup simple, and reads are I/O
 * bound anyway. */
static GMutex hdf5_lock;

/* Rows are read in blocks of about this many bytes: progress and cancel between blocks, and
 * a bounded buffer whatever the file's size. */
#define BLOCK_BYTES (8u << 20)

void
cs_hdf5_entry_free (CsHdf5Entry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->path);
  g_free (entry->type);
  g_free (entry);
}

static void
quiet (void)
{
  /* libhdf5 prints its error stack to stderr by default; our messages say what matters. */
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
}

static char *
type_name (hid_t type)
{
  H5T_class_t cls = H5Tget_class (type);
  size_t size = H5Tget_size (type);

  if (cls == H5T_FLOAT)
    return g_strdup_printf ("float%zu", size * 8);
  if (cls == H5T_INTEGER)
    return g_strdup_printf ("%sint%zu", H5Tget_sign (type) == H5T_SGN_NONE ? "u" : "", size * 8);
  return NULL;
}

static gboolean
is_numeric (hid_t dset)
{
  hid_t type = H5Dget_type (dset);
  H5T_class_t cls = type >= 0 ? H5Tget_class (type) : H5T_NO_CLASS;

  if (type >= 0)
    H5Tclose (type);
  return cls == H5T_FLOAT || cls == H5T_INTEGER;
}

/* Rank and dimensions of a dataset; FALSE when it has more than 2. */
static int
dataset_dims (hid_t    dset,
              hsize_t *dims)
{
  hid_t space = H5Dget_space (dset);
  int rank = space >= 0 ? H5Sget_simple_extent_ndims (space) : -1;

  if (rank >= 1 && rank <= 2)
    H5Sget_simple_extent_dims (space, dims, NULL);
  if (space >= 0)
    H5Sclose (space);
  return rank;
}

/* A string attribute (fixed or variable length), or NULL. */
static char *
attr_string (hid_t       obj,
             const char *name)
{
  hid_t attr;
  hid_t type;
  hid_t space;
  char *out = NULL;

  if (H5Aexists (obj, name) <= 0)
    return NULL;
  attr = H5Aopen (obj, name, H5P_DEFAULT);
  if (attr < 0)
    return NULL;
  type = H5Aget_type (attr);
  space = H5Aget_space (attr);
  if (type >= 0 && H5Tget_class (type) == H5T_STRING && H5Sget_simple_extent_npoints (space) == 1)
    {
      hid_t mem = H5Tcopy (H5T_C_S1);
      if (H5Tis_variable_str (type) > 0)
        {
          char *s = NULL;
          H5Tset_size (mem, H5T_VARIABLE);
          H5Tset_cset (mem, H5Tget_cset (type));
          if (H5Aread (attr, mem, &s) >= 0 && s != NULL)
            {
              out = g_strdup (s);
              H5free_memory (s);
            }
        }
      else
        {
          size_t size = H5Tget_size (type);
          if (size > 0 && size < 1 << 20)
            {
              char *buf = g_malloc0 (size + 1);
              H5Tset_size (mem, size);
              if (H5Aread (attr, mem, buf) >= 0)
                out = buf;
              else
                g_free (buf);
            }
        }
      H5Tclose (mem);
    }
  if (type >= 0)
    H5Tclose (type);
  if (space >= 0)
    H5Sclose (space);
  H5Aclose (attr);
  return out;
}

/* A 2-element integer attribute such as AnnData's shape. */
static gboolean
attr_shape (hid_t       obj,
            const char *name,
            hsize_t    *shape)
{
  gint64 v[2] = { 0, 0 };
  hid_t attr;
  hid_t space;
  gboolean ok = FALSE;

  if (H5Aexists (obj, name) <= 0)
    return FALSE;
  attr = H5Aopen (obj, name, H5P_DEFAULT);
  if (attr < 0)
    return FALSE;
  space = H5Aget_space (attr);
  if (space >= 0 && H5Sget_simple_extent_npoints (space) == 2 && H5Aread (attr, H5T_NATIVE_INT64, v) >= 0
      && v[0] >= 0 && v[1] >= 0)
    {
      shape[0] = v[0];
      shape[1] = v[1];
      ok = TRUE;
    }
  if (space >= 0)
    H5Sclose (space);
  H5Aclose (attr);
  return ok;
}

static int dataset_dims (hid_t dset, hsize_t *dims);

/* A group holding a compressed sparse matrix: "csr" or "csc", with its shape. Told by its
 * structure (indptr has a row or a column more than the matrix), so that no string attribute
 * (encoding-type) is read: libhdf5 reads those from the global heap unchecked (see
 * vlen_heap_ok). Only a square matrix needs the attribute. */
static const char *
sparse_kind (hid_t    group,
             hsize_t *shape)
{
  hsize_t n_ptr[2] = { 0, 0 };
  hid_t indptr;
  int rank;

  if (!attr_shape (group, "shape", shape) && !attr_shape (group, "h5sparse_shape", shape))
    return NULL;
  if (H5Lexists (group, "data", H5P_DEFAULT) <= 0 || H5Lexists (group, "indices", H5P_DEFAULT) <= 0
      || H5Lexists (group, "indptr", H5P_DEFAULT) <= 0)
    return NULL;
  indptr = H5Dopen2 (group, "indptr", H5P_DEFAULT);
  if (indptr < 0)
    return NULL;
  rank = dataset_dims (indptr, n_ptr);
  H5Dclose (indptr);
  if (rank != 1)
    return NULL;
  if (shape[0] != shape[1])
    return n_ptr[0] == shape[0] + 1 ? "csr" : n_ptr[0] == shape[1] + 1 ? "csc" : NULL;
  {
    g_autofree char *enc = attr_string (group, "encoding-type");

    if (enc == NULL)
      enc = attr_string (group, "h5sparse_format");
    if (enc != NULL && g_str_has_prefix (enc, "csr"))
      return "csr";
    if (enc != NULL && g_str_has_prefix (enc, "csc"))
      return "csc";
  }
  return NULL;
}

typedef struct
{
  GPtrArray *entries;
  guint      visited;
} ListData;

static herr_t
list_cb (hid_t             group,
         const char       *name,
         const H5L_info_t *info,
         void             *user)
{
  ListData *d = user;
  hid_t obj;
  H5I_type_t kind;

  /* A hostile file may hold millions of links; the listing is for a person to choose from. */
  if (++d->visited > 100000)
    return 1;
  if (info->type != H5L_TYPE_HARD)
    return 0;
  obj = H5Oopen (group, name, H5P_DEFAULT);
  if (obj < 0)
    return 0;
  kind = H5Iget_type (obj);
  if (kind == H5I_DATASET)
    {
      hsize_t dims[2] = { 0, 0 };
      if (dataset_dims (obj, dims) == 2 && is_numeric (obj))
        {
          CsHdf5Entry *e = g_new0 (CsHdf5Entry, 1);
          hid_t type = H5Dget_type (obj);
          e->path = g_strconcat ("/", name, NULL);
          e->rows = dims[0];
          e->cols = dims[1];
          e->type = type_name (type);
          H5Tclose (type);
          g_ptr_array_add (d->entries, e);
        }
    }
  else if (kind == H5I_GROUP)
    {
      hsize_t shape[2];
      const char *sk = sparse_kind (obj, shape);
      if (sk != NULL && strcmp (sk, "csr") == 0)
        {
          CsHdf5Entry *e = g_new0 (CsHdf5Entry, 1);
          hid_t data = H5Dopen2 (obj, "data", H5P_DEFAULT);
          hid_t type = data >= 0 ? H5Dget_type (data) : -1;
          e->path = g_strconcat ("/", name, NULL);
          e->rows = shape[0];
          e->cols = shape[1];
          e->sparse = TRUE;
          e->type = type >= 0 ? type_name (type) : NULL;
          if (type >= 0)
            H5Tclose (type);
          if (data >= 0)
            H5Dclose (data);
          g_ptr_array_add (d->entries, e);
        }
    }
  H5Oclose (obj);
  return 0;
}

static hid_t
open_file (const char *path,
           GError    **error)
{
  hid_t file;
  g_autofree char *shown = cs_format_excerpt (path, -1, 4096);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_IO, "%s: %s; expected an HDF5 file", shown,
                   g_file_test (path, G_FILE_TEST_EXISTS) ? "is not a regular file" : "no such file");
      return -1;
    }
  if (H5Fis_hdf5 (path) <= 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:byte 0: found no HDF5 signature; expected an HDF5 file",
                   shown);
      return -1;
    }
  file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0)
    g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: the HDF5 library cannot open it (truncated or damaged?); "
                 "expected a whole HDF5 file", shown);
  return file;
}

static GPtrArray *
list_locked (hid_t file)
{
  ListData d = { g_ptr_array_new_with_free_func ((GDestroyNotify) cs_hdf5_entry_free), 0 };

  H5Lvisit (file, H5_INDEX_NAME, H5_ITER_INC, list_cb, &d);
  return d.entries;
}

GPtrArray *
cs_hdf5_list (const char *path,
              GError    **error)
{
  GPtrArray *entries = NULL;
  hid_t file;

  g_return_val_if_fail (path != NULL, NULL);

  g_mutex_lock (&hdf5_lock);
  quiet ();
  file = open_file (path, error);
  if (file >= 0)
    {
      entries = list_locked (file);
      H5Fclose (file);
    }
  g_mutex_unlock (&hdf5_lock);
  return entries;
}

/* Reading */

typedef struct
{
  const char *path;
  const char *object;
  CsProgress *progress;
  hsize_t     rows;      /* of the matrix */
  hsize_t     cols;
  gsize       n_keep;    /* rows kept */
  double    **columns;   /* cols arrays of n_keep */
} Reading;

/* Row i of the matrix is kept as row keep_index; rows are kept evenly spaced. */
static inline gboolean
kept (const Reading *r,
      hsize_t        i,
      gsize         *at)
{
  /* Row k kept is floor(k · rows / n_keep): the first row whose index reaches it. */
  guint64 k;

  if (r->n_keep == r->rows)
    {
      *at = i;
      return TRUE;
    }
  k = (guint64) (((unsigned __int128) i * r->n_keep + r->rows - 1) / r->rows);
  if (k < r->n_keep && (guint64) (((unsigned __int128) k * r->rows) / r->n_keep) == i)
    {
      *at = k;
      return TRUE;
    }
  return FALSE;
}

static gboolean
step (Reading *r,
      hsize_t  done,
      GError **error)
{
  if (!cs_progress_report (r->progress, 0.9 * (double) done / (double) MAX (r->rows, 1), "Reading data"))
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
      return FALSE;
    }
  return TRUE;
}

static void
set_read_error (GError    **error,
                const char *path,
                const char *object,
                hsize_t     row,
                const char *what)
{
  g_autofree char *shown = cs_format_excerpt (path, -1, 4096);
  g_autofree char *obj = cs_format_excerpt (object, -1, CS_FORMAT_EXCERPT_CHARS);
  g_autofree char *at = cs_format_count (row + 1);

  g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%s: row %s: %s", shown, obj, at, what);
}

static gboolean
read_dense (Reading *r,
            hid_t    dset,
            GError **error)
{
  hsize_t block = MAX (1, BLOCK_BYTES / (MAX (r->cols, 1) * sizeof (double)));
  g_autofree double *buf = g_new (double, block * r->cols);
  hid_t space = H5Dget_space (dset);
  gboolean ok = TRUE;

  for (hsize_t r0 = 0; r0 < r->rows && ok; r0 += block)
    {
      hsize_t start[2] = { r0, 0 };
      hsize_t count[2] = { MIN (block, r->rows - r0), r->cols };
      hid_t mem = H5Screate_simple (2, count, NULL);

      if (H5Sselect_hyperslab (space, H5S_SELECT_SET, start, NULL, count, NULL) < 0
          || H5Dread (dset, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, buf) < 0)
        {
          set_read_error (error, r->path, r->object, r0, "the HDF5 library cannot read these rows (truncated or "
                                                       "damaged file?); expected a whole dataset");
          ok = FALSE;
        }
      for (hsize_t i = 0; ok && i < count[0]; i++)
        {
          gsize at;
          if (!kept (r, r0 + i, &at))
            continue;
          for (hsize_t j = 0; j < r->cols; j++)
            {
              double v = buf[i * r->cols + j];
              r->columns[j][at] = isfinite (v) ? v : NAN;
            }
        }
      H5Sclose (mem);
      if (ok)
        ok = step (r, r0 + count[0], error);
    }
  H5Sclose (space);
  return ok;
}

/* A 1-D slice [start, start + n) of a dataset, converted to `type`. */
static gboolean
read_slice (hid_t   dset,
            hid_t   type,
            hsize_t start,
            hsize_t n,
            void   *out)
{
  hid_t space = H5Dget_space (dset);
  hid_t mem;
  herr_t rc;

  if (n == 0)
    {
      H5Sclose (space);
      return TRUE;
    }
  mem = H5Screate_simple (1, &n, NULL);
  rc = H5Sselect_hyperslab (space, H5S_SELECT_SET, &start, NULL, &n, NULL);
  if (rc >= 0)
    rc = H5Dread (dset, type, mem, space, H5P_DEFAULT, out);
  H5Sclose (mem);
  H5Sclose (space);
  return rc >= 0;
}

static gboolean
read_csr (Reading *r,
          hid_t    group,
          GError **error)
{
  hid_t data = H5Dopen2 (group, "data", H5P_DEFAULT);
  hid_t indices = H5Dopen2 (group, "indices", H5P_DEFAULT);
  hid_t indptr = H5Dopen2 (group, "indptr", H5P_DEFAULT);
  g_autofree gint64 *ptr = NULL;
  hsize_t len[2] = { 0, 0 };
  hsize_t nnz = 0;
  gboolean ok = FALSE;

  if (data < 0 || indices < 0 || indptr < 0 || dataset_dims (indptr, len) != 1 || len[0] != r->rows + 1
      || dataset_dims (data, &nnz) != 1 || dataset_dims (indices, len) != 1 || len[0] != nnz)
    {
      set_read_error (error, r->path, r->object, 0, "the sparse matrix's data, indices and indptr do not fit its "
                                                   "shape; expected AnnData's CSR layout");
      goto out;
    }
  if (!cs_memory_check ((r->rows + 1) * sizeof (gint64), "row index of the sparse matrix", NULL, error))
    goto out;
  ptr = g_new (gint64, r->rows + 1);
  if (!read_slice (indptr, H5T_NATIVE_INT64, 0, r->rows + 1, ptr))
    {
      set_read_error (error, r->path, r->object, 0, "cannot read indptr (truncated or damaged file?)");
      goto out;
    }
  for (hsize_t i = 0; i < r->rows; i++)
    if (ptr[0] != 0 || ptr[i + 1] < ptr[i] || (hsize_t) ptr[i + 1] > nnz)
      {
        set_read_error (error, r->path, r->object, i, "indptr does not rise from 0 to the number of values; "
                                                    "expected a valid CSR matrix");
        goto out;
      }
  for (gsize k = 0; k < r->n_keep; k++)
    for (hsize_t j = 0; j < r->cols; j++)
      r->columns[j][k] = 0;

  {
    hsize_t block_values = BLOCK_BYTES / (sizeof (double) + sizeof (gint64));
    g_autofree double *vals = g_new (double, block_values);
    g_autofree gint64 *idx = g_new (gint64, block_values);
    hsize_t i = 0;

    while (i < r->rows)
      {
        hsize_t i1 = i + 1;
        hsize_t from = ptr[i];

        /* As many rows as fit in the buffer, at least one (a row longer than the buffer is
         * read in pieces below). */
        while (i1 < r->rows && (hsize_t) ptr[i1 + 1] - from <= block_values)
          i1++;
        for (hsize_t a = from; a < (hsize_t) ptr[i1];)
          {
            hsize_t n = MIN (block_values, (hsize_t) ptr[i1] - a);
            hsize_t row = i;

            if (!read_slice (data, H5T_NATIVE_DOUBLE, a, n, vals) || !read_slice (indices, H5T_NATIVE_INT64, a, n, idx))
              {
                set_read_error (error, r->path, r->object, i, "cannot read these values (truncated or damaged "
                                                            "file?)");
                goto out;
              }
            for (hsize_t t = 0; t < n; t++)
              {
                gsize at;
                while ((hsize_t) ptr[row + 1] <= a + t)
                  row++;
                if (idx[t] < 0 || (hsize_t) idx[t] >= r->cols)
                  {
                    set_read_error (error, r->path, r->object, row, "a column index is outside the matrix's shape");
                    goto out;
                  }
                if (kept (r, row, &at))
                  r->columns[idx[t]][at] = isfinite (vals[t]) ? vals[t] : NAN;
              }
            a += n;
          }
        i = i1;
        if (!step (r, i, error))
          goto out;
      }
  }
  ok = TRUE;
out:
  if (data >= 0)
    H5Dclose (data);
  if (indices >= 0)
    H5Dclose (indices);
  if (indptr >= 0)
    H5Dclose (indptr);
  return ok;
}

/* libhdf5 1.10 trusts the global heap that holds variable-length strings: a damaged heap
 * collection or heap ID makes H5Dread read out of bounds (found by mutating the .h5ad
 * fixtures). Before such a read, the dataset's raw heap IDs (length, collection address,
 * object index) and every collection they name are checked against the file, as the HDF5
 * file format specification (III.E, "Global Heap") lays them out. Only contiguous datasets
 * can be checked; others are not read. */
static guint64
read_le (const guint8 *p,
         guint         size)
{
  guint64 v = 0;

  for (guint i = size; i-- > 0;)
    v = (v << 8) | p[i];
  return v;
}

static gboolean
heap_collection_ok (int         fd,
                    guint64     at,
                    guint64     file_size,
                    guint       sizeof_size,
                    GHashTable *objects) /* filled: object index → size */
{
  guint8 head[16 + 8];
  guint64 size;
  g_autofree guint8 *buf = NULL;
  guint64 p;

  if (at >= file_size || file_size - at < 8 + sizeof_size
      || pread (fd, head, 8 + sizeof_size, (off_t) at) != (ssize_t) (8 + sizeof_size)
      || memcmp (head, "GCOL", 4) != 0 || head[4] != 1)
    return FALSE;
  size = read_le (head + 8, sizeof_size);
  if (size < 8 + sizeof_size || size > file_size - at || size > (64u << 20))
    return FALSE;
  buf = g_malloc (size);
  if (pread (fd, buf, size, (off_t) at) != (ssize_t) size)
    return FALSE;
  for (p = 8 + sizeof_size; p + 8 + sizeof_size <= size;)
    {
      guint index = (guint) read_le (buf + p, 2);
      guint64 obj = read_le (buf + p + 8, sizeof_size);

      if (index == 0) /* free space: the rest of the collection */
        break;
      if (obj > size - p - 8 - sizeof_size)
        return FALSE;
      g_hash_table_insert (objects, GUINT_TO_POINTER (index), GSIZE_TO_POINTER ((gsize) obj));
      p += 8 + sizeof_size + ((obj + 7) & ~(guint64) 7);
    }
  return TRUE;
}

static gboolean
vlen_heap_ok (hid_t   dset,
              hsize_t n)
{
  hid_t file = H5Iget_file_id (dset);
  hid_t fcpl = file >= 0 ? H5Fget_create_plist (file) : -1;
  size_t sizeof_addr = 0;
  size_t sizeof_size = 0;
  hsize_t userblock = 0;
  int *fdp = NULL;
  haddr_t offset = H5Dget_offset (dset);
  struct stat st;
  gboolean ok = FALSE;

  if (fcpl >= 0 && H5Pget_sizes (fcpl, &sizeof_addr, &sizeof_size) >= 0 && H5Pget_userblock (fcpl, &userblock) >= 0
      && (sizeof_addr == 4 || sizeof_addr == 8) && (sizeof_size == 4 || sizeof_size == 8) && offset != HADDR_UNDEF
      && H5Fget_vfd_handle (file, H5P_DEFAULT, (void **) &fdp) >= 0 && fdp != NULL && fstat (*fdp, &st) == 0)
    {
      guint64 file_size = st.st_size;
      guint entry = 4 + sizeof_addr + 4;
      g_autoptr (GHashTable) collections = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                                    (GDestroyNotify) g_hash_table_unref);
      g_autofree guint8 *raw = NULL;

      ok = n <= G_MAXSIZE / entry && userblock + offset <= file_size && n * entry <= file_size - userblock - offset;
      if (ok)
        {
          raw = g_malloc (MAX (n * entry, 1));
          ok = pread (*fdp, raw, n * entry, (off_t) (userblock + offset)) == (ssize_t) (n * entry);
        }
      for (hsize_t i = 0; ok && i < n; i++)
        {
          const guint8 *e = raw + i * entry;
          guint64 length = read_le (e, 4);
          gint64 addr = (gint64) read_le (e + 4, sizeof_addr);
          guint index = (guint) read_le (e + 4 + sizeof_addr, 4);
          GHashTable *objects;
          gpointer size;

          if (length == 0 && addr == 0)
            continue; /* an empty or NULL string */
          objects = g_hash_table_lookup (collections, &addr);
          if (objects == NULL)
            {
              gint64 *key = g_new (gint64, 1);

              *key = addr;
              objects = g_hash_table_new (g_direct_hash, g_direct_equal);
              g_hash_table_insert (collections, key, objects);
              if ((guint64) addr > G_MAXUINT64 - userblock
                  || !heap_collection_ok (*fdp, userblock + (guint64) addr, file_size, (guint) sizeof_size, objects))
                ok = FALSE;
            }
          ok = ok && index > 0 && g_hash_table_lookup_extended (objects, GUINT_TO_POINTER (index), NULL, &size)
               && length <= GPOINTER_TO_SIZE (size);
        }
    }
  if (fcpl >= 0)
    H5Pclose (fcpl);
  if (file >= 0)
    H5Fclose (file);
  return ok;
}

/* A 1-D dataset of strings (fixed or variable length), n entries; NULL if it is not one. */
static char **
read_strings (hid_t   dset,
              hsize_t n)
{
  hid_t type = H5Dget_type (dset);
  hsize_t len[2] = { 0, 0 };
  char **out = NULL;

  if (type < 0)
    return NULL;
  if (H5Tget_class (type) == H5T_STRING && dataset_dims (dset, len) == 1 && len[0] == n)
    {
      hid_t mem = H5Tcopy (H5T_C_S1);
      H5Tset_cset (mem, H5Tget_cset (type));
      /* The heap IDs are checked first: they also bound n by the file's size. */
      if (H5Tis_variable_str (type) > 0 && vlen_heap_ok (dset, n))
        {
          char **raw = g_new0 (char *, MAX (n, 1));
          H5Tset_size (mem, H5T_VARIABLE);
          if (H5Dread (dset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) >= 0)
            {
              hid_t space = H5Dget_space (dset);
              out = g_new0 (char *, n + 1);
              for (hsize_t i = 0; i < n; i++)
                out[i] = g_utf8_make_valid (raw[i] ? raw[i] : "", -1);
              H5Dvlen_reclaim (mem, space, H5P_DEFAULT, raw);
              H5Sclose (space);
            }
          g_free (raw);
        }
      else if (H5Tis_variable_str (type) <= 0)
        {
          size_t size = H5Tget_size (type);
          if (size > 0 && size < 65536 && (guint64) size * n < (256u << 20))
            {
              g_autofree char *buf = g_malloc0 (size * MAX (n, 1) + 1);
              H5Tset_size (mem, size);
              H5Tset_strpad (mem, H5T_STR_NULLPAD);
              if (H5Dread (dset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0)
                {
                  out = g_new0 (char *, n + 1);
                  for (hsize_t i = 0; i < n; i++)
                    out[i] = g_utf8_make_valid (buf + i * size, strnlen (buf + i * size, size));
                }
            }
        }
      H5Tclose (mem);
    }
  H5Tclose (type);
  return out;
}

/* An index of strings named by a group's _index attribute (AnnData's obs and var). */
static char **
read_index (hid_t       file,
            const char *group_name,
            hsize_t     n)
{
  hid_t group;
  g_autofree char *index = NULL;
  char **out = NULL;

  if (H5Lexists (file, group_name, H5P_DEFAULT) <= 0)
    return NULL;
  group = H5Gopen2 (file, group_name, H5P_DEFAULT);
  if (group < 0)
    return NULL;
  /* AnnData names its index _index; only another name needs the (string) attribute. */
  index = H5Lexists (group, "_index", H5P_DEFAULT) > 0 ? g_strdup ("_index") : attr_string (group, "_index");
  if (index != NULL && H5Lexists (group, index, H5P_DEFAULT) > 0)
    {
      hid_t dset = H5Dopen2 (group, index, H5P_DEFAULT);
      if (dset >= 0)
        {
          out = read_strings (dset, n);
          H5Dclose (dset);
        }
    }
  H5Gclose (group);
  return out;
}

typedef struct
{
  Reading   *r;
  CsDataset *ds;
  hid_t      obs;
  int        first_label;
  guint      skipped;
} ObsData;

static void
add_obs_categorical (ObsData    *o,
                     const char *name,
                     char      **strings,
                     const int  *codes_in,
                     guint       n_levels_in)
{
  Reading *r = o->r;
  g_autofree int *codes = g_new (int, MAX (r->n_keep, 1));
  CsLevels levels;
  CsColumn *col;

  cs_i_levels_init (&levels);
  for (hsize_t i = 0; i < r->rows; i++)
    {
      gsize at;
      if (!kept (r, i, &at))
        continue;
      if (strings != NULL)
        codes[at] = strings[i][0] ? (int) cs_i_levels_intern (&levels, strings[i]) : -1;
      else
        codes[at] = codes_in[i] >= 0 && (guint) codes_in[i] < n_levels_in ? codes_in[i] : -1;
    }
  if (strings != NULL)
    col = cs_dataset_add_categorical (o->ds, name, codes, (const char *const *) levels.levels->pdata,
                                      levels.levels->len);
  else
    col = NULL;
  cs_i_levels_clear (&levels);
  if (col != NULL && o->first_label < 0)
    o->first_label = (int) o->ds->columns->len - 1;
}

static herr_t
obs_cb (hid_t             group,
        const char       *name,
        const H5L_info_t *info,
        void             *user)
{
  ObsData *o = user;
  Reading *r = o->r;
  hid_t obj;
  H5I_type_t kind;

  if (name[0] == '_' || info->type != H5L_TYPE_HARD)
    return 0;
  obj = H5Oopen (group, name, H5P_DEFAULT);
  if (obj < 0)
    return 0;
  kind = H5Iget_type (obj);
  if (kind == H5I_DATASET)
    {
      g_auto (GStrv) strings = read_strings (obj, r->rows);
      g_autofree char *index_name = H5Lexists (group, "_index", H5P_DEFAULT) > 0 ? g_strdup ("_index")
                                                                                 : attr_string (group, "_index");
      g_autofree char *cats_path = g_strconcat ("__categories/", name, NULL);

      if (index_name != NULL && strcmp (index_name, name) == 0)
        ;
      else if (strings != NULL)
        add_obs_categorical (o, name, strings, NULL, 0);
      else if (H5Lexists (group, "__categories", H5P_DEFAULT) > 0 && H5Lexists (group, cats_path, H5P_DEFAULT) > 0)
        {
          /* anndata before 0.8: codes here, categories in obs/__categories/NAME */
          hid_t cats = H5Dopen2 (group, cats_path, H5P_DEFAULT);
          hsize_t n_cats[2] = { 0, 0 };
          if (cats >= 0 && dataset_dims (cats, n_cats) == 1)
            {
              g_auto (GStrv) levels = read_strings (cats, n_cats[0]);
              g_autofree int *codes = g_new (int, MAX (r->rows, 1));
              if (levels != NULL && read_slice (obj, H5T_NATIVE_INT, 0, r->rows, codes))
                {
                  g_auto (GStrv) expanded = g_new0 (char *, r->rows + 1);
                  for (hsize_t i = 0; i < r->rows; i++)
                    expanded[i] = g_strdup (codes[i] >= 0 && (hsize_t) codes[i] < n_cats[0] ? levels[codes[i]] : "");
                  add_obs_categorical (o, name, expanded, NULL, 0);
                }
            }
          if (cats >= 0)
            H5Dclose (cats);
        }
      else
        o->skipped++;
    }
  else if (kind == H5I_GROUP)
    {
      /* A categorical column is a group of categories and codes (its encoding-type attribute
       * says so too, but is not read: see sparse_kind). */
      if (H5Lexists (obj, "categories", H5P_DEFAULT) > 0 && H5Lexists (obj, "codes", H5P_DEFAULT) > 0)
        {
          hid_t cats = H5Dopen2 (obj, "categories", H5P_DEFAULT);
          hid_t codes_ds = H5Dopen2 (obj, "codes", H5P_DEFAULT);
          hsize_t n_cats[2] = { 0, 0 };
          hsize_t n_codes[2] = { 0, 0 };

          if (cats >= 0 && codes_ds >= 0 && dataset_dims (cats, n_cats) == 1 && dataset_dims (codes_ds, n_codes) == 1
              && n_codes[0] == r->rows)
            {
              g_auto (GStrv) levels = read_strings (cats, n_cats[0]);
              g_autofree int *codes = g_new (int, MAX (r->rows, 1));
              if (levels != NULL && read_slice (codes_ds, H5T_NATIVE_INT, 0, r->rows, codes))
                {
                  g_auto (GStrv) expanded = g_new0 (char *, r->rows + 1);
                  for (hsize_t i = 0; i < r->rows; i++)
                    expanded[i] = g_strdup (codes[i] >= 0 && (hsize_t) codes[i] < n_cats[0] ? levels[codes[i]] : "");
                  add_obs_categorical (o, name, expanded, NULL, 0);
                }
            }
          if (cats >= 0)
            H5Dclose (cats);
          if (codes_ds >= 0)
            H5Dclose (codes_ds);
        }
      else
        o->skipped++;
    }
  H5Oclose (obj);
  return 0;
}

static CsDataset *
load_locked (const char *path,
             const char *object,
             const char *label_column,
             guint64     max_bytes,
             CsProgress *progress,
             GError    **error)
{
  g_autofree char *shown = cs_format_excerpt (path, -1, 4096);
  g_autofree char *chosen = NULL;
  g_autoptr (CsDataset) ds = NULL;
  g_auto (GStrv) names = NULL;
  Reading r = { 0 };
  hid_t file;
  hid_t obj = -1;
  gboolean sparse = FALSE;
  gboolean anndata;
  gboolean ok = FALSE;
  int fallback = -1;

  file = open_file (path, error);
  if (file < 0)
    return NULL;
  anndata = H5Lexists (file, "X", H5P_DEFAULT) > 0 && H5Lexists (file, "obs", H5P_DEFAULT) > 0;

  if (object == NULL || object[0] == '\0')
    {
      if (anndata)
        chosen = g_strdup ("/X");
      else
        {
          g_autoptr (GPtrArray) entries = list_locked (file);
          if (entries->len == 1)
            chosen = g_strdup (((CsHdf5Entry *) g_ptr_array_index (entries, 0))->path);
          else if (entries->len == 0)
            {
              g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: holds no 2-D dataset of numbers; expected a "
                           "matrix with a row per point", shown);
              goto out;
            }
          else
            {
              g_autoptr (GString) list = g_string_new (NULL);
              for (guint i = 0; i < MIN (entries->len, 5); i++)
                {
                  CsHdf5Entry *e = g_ptr_array_index (entries, i);
                  g_autofree char *p = cs_format_excerpt (e->path, -1, CS_FORMAT_EXCERPT_CHARS);
                  g_autofree char *a = cs_format_count (e->rows);
                  g_autofree char *b = cs_format_count (e->cols);
                  g_string_append_printf (list, "%s%s (%s × %s)", i ? ", " : "", p, a, b);
                }
              if (entries->len > 5)
                g_string_append (list, ", …");
              g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s holds %u matrices: %s; choose one "
                           "(clusterscope-cli: --dataset PATH)", shown, entries->len, list->str);
              goto out;
            }
        }
      object = chosen;
    }
  r.path = path;
  r.object = object;
  r.progress = progress;

  if (H5Lexists (file, object, H5P_DEFAULT) <= 0 || (obj = H5Oopen (file, object, H5P_DEFAULT)) < 0)
    {
      g_autofree char *o = cs_format_excerpt (object, -1, CS_FORMAT_EXCERPT_CHARS);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s has no object ‘%s’; expected the path of a "
                   "2-D dataset such as /data", shown, o);
      goto out;
    }
  if (H5Iget_type (obj) == H5I_DATASET)
    {
      hsize_t dims[2] = { 0, 0 };
      int rank = dataset_dims (obj, dims);
      if (!is_numeric (obj) || (rank != 2 && rank != 1))
        {
          g_autofree char *o = cs_format_excerpt (object, -1, CS_FORMAT_EXCERPT_CHARS);
          g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%s: is not a 1-D or 2-D dataset of numbers; expected "
                       "a matrix with a row per point", shown, o);
          goto out;
        }
      r.rows = dims[0];
      r.cols = rank == 2 ? dims[1] : 1;
    }
  else
    {
      hsize_t shape[2];
      const char *kind = H5Iget_type (obj) == H5I_GROUP ? sparse_kind (obj, shape) : NULL;
      g_autofree char *o = cs_format_excerpt (object, -1, CS_FORMAT_EXCERPT_CHARS);

      if (kind == NULL || strcmp (kind, "csr") != 0)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%s: is %s; expected a 2-D dataset of numbers or a CSR "
                       "sparse matrix", shown, o, kind ? "a CSC sparse matrix (convert it to CSR: adata.X = "
                       "adata.X.tocsr())" : "not a matrix");
          goto out;
        }
      sparse = TRUE;
      r.rows = shape[0];
      r.cols = shape[1];
    }
  if (r.rows == 0 || r.cols == 0)
    {
      g_autofree char *o = cs_format_excerpt (object, -1, CS_FORMAT_EXCERPT_CHARS);
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%s: is empty; expected at least one row and one column",
                   shown, o);
      goto out;
    }
  if (max_bytes == 0)
    max_bytes = cs_memory_budget () / 2;
  r.n_keep = r.rows;
  if ((guint64) r.rows * r.cols * sizeof (double) > max_bytes)
    r.n_keep = max_bytes / (r.cols * sizeof (double));
  if (r.n_keep < 2)
    {
      g_autofree char *cols = cs_format_count (r.cols);
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "%s: a row of %s columns does not fit the memory budget; "
                   "expected fewer columns (or set CLUSTERSCOPE_MEMORY_LIMIT)", shown, cols);
      goto out;
    }

  ds = cs_dataset_new (NULL, r.n_keep);
  g_free (ds->name);
  {
    g_autofree char *base = g_path_get_basename (path);
    /* A matrix chosen among several is part of what was opened. */
    ds->name = chosen == NULL && !anndata ? g_strdup_printf ("%s:%s", base, object) : g_steal_pointer (&base);
  }
  ds->path = g_strdup (path);
  ds->hdf5_object = g_strdup (object);
  r.columns = g_new0 (double *, r.cols);
  for (hsize_t j = 0; j < r.cols; j++)
    r.columns[j] = g_new (double, MAX (r.n_keep, 1));
  if (!(sparse ? read_csr (&r, obj, error) : read_dense (&r, obj, error)))
    goto out;

  if (anndata && strcmp (object, "/X") == 0)
    names = read_index (file, "var", r.cols);
  for (hsize_t j = 0; j < r.cols; j++)
    {
      g_autofree char *name = names ? g_strdup (names[j]) : g_strdup_printf ("column %" G_GUINT64_FORMAT,
                                                                             (guint64) j + 1);
      cs_dataset_add_numeric (ds, name, g_steal_pointer (&r.columns[j]));
    }
  if (r.n_keep < r.rows)
    {
      g_autofree char *kept_rows = cs_format_count (r.n_keep);
      g_autofree char *all = cs_format_count (r.rows);
      g_ptr_array_add (ds->notices, g_strdup_printf ("The matrix is larger than the memory budget: %s of its %s "
                                                     "rows were read, evenly spaced", kept_rows, all));
    }
  if (anndata && strcmp (object, "/X") == 0)
    {
      ObsData o = { &r, ds, -1, -1, 0 };
      o.obs = H5Gopen2 (file, "obs", H5P_DEFAULT);
      if (o.obs >= 0)
        {
          /* By creation order when the file tracks it (the data frame's column order), else by
           * name. column-order, an attribute of variable-length strings, is not read: libhdf5
           * cannot read such an attribute safely from a damaged file (see vlen_heap_ok), and
           * an attribute's raw heap IDs cannot be checked first. */
          if (H5Literate (o.obs, H5_INDEX_CRT_ORDER, H5_ITER_INC, NULL, obs_cb, &o) < 0)
            H5Literate (o.obs, H5_INDEX_NAME, H5_ITER_INC, NULL, obs_cb, &o);
          H5Gclose (o.obs);
        }
      fallback = o.first_label;
      /* Names that single-cell tools give the annotation to compare with, before "the first". */
      {
        static const char *const usual[] = { "cell_type", "celltype", "cell_types", "cell_ontology_class",
                                             "annotation", "leiden", "louvain", "cluster", "clusters" };
        for (guint u = 0; u < G_N_ELEMENTS (usual); u++)
          {
            int c = cs_dataset_find_column (ds, usual[u]);
            if (c >= 0 && cs_dataset_column (ds, c)->kind == CS_COLUMN_CATEGORICAL)
              {
                fallback = c;
                break;
              }
          }
      }
      if (o.skipped > 0)
        g_ptr_array_add (ds->notices, g_strdup_printf ("%u numeric obs column%s not read (per-cell measures, "
                                                       "not features)", o.skipped, o.skipped == 1 ? " was" : "s were"));
    }
  if (!cs_i_dataset_finish (ds, path, label_column, fallback, error))
    goto out;
  cs_progress_report (progress, 1.0, "Reading data");
  ok = TRUE;
out:
  if (r.columns != NULL)
    for (hsize_t j = 0; j < r.cols; j++)
      g_free (r.columns[j]);
  g_free (r.columns);
  if (obj >= 0)
    H5Oclose (obj);
  H5Fclose (file);
  return ok ? g_steal_pointer (&ds) : NULL;
}

CsDataset *
cs_dataset_load_hdf5 (const char *path,
                      const char *object,
                      const char *label_column,
                      guint64     max_bytes,
                      CsProgress *progress,
                      GError    **error)
{
  CsDataset *ds;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&hdf5_lock);
  quiet ();
  ds = load_locked (path, object, label_column, max_bytes, progress, error);
  g_mutex_unlock (&hdf5_lock);
  return ds;
}
