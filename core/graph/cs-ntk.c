#include "core/graph/cs-ntk.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

static const char *const kind_ids[] = { "linear", "rbf", "arccos", "ntk", NULL };

const char *
cs_point_kernel_id (CsPointKernelKind kind)
{
  return kind <= CS_POINT_KERNEL_NTK ? kind_ids[kind] : NULL;
}

gboolean
cs_point_kernel_from_id (const char        *id,
                         CsPointKernelKind *kind)
{
  for (int i = 0; kind_ids[i]; i++)
    if (g_ascii_strcasecmp (id, kind_ids[i]) == 0)
      {
        *kind = (CsPointKernelKind) i;
        return TRUE;
      }
  return FALSE;
}

/* One layer from the inner products xx, yy, xy: returns Σ and writes Σ̇. */
static double
relu_layer (double  xx,
            double  yy,
            double  xy,
            double *dot)
{
  double norm = sqrt (xx * yy);
  if (!(norm > 0.0))
    {
      *dot = 0.5; /* θ undefined at a zero vector; Σ is 0 there whatever Σ̇ is */
      return 0.0;
    }
  double c = CLAMP (xy / norm, -1.0, 1.0);
  double theta = acos (c);
  *dot = (G_PI - theta) / G_PI;
  return norm / G_PI * (sin (theta) + (G_PI - theta) * c);
}

void
cs_ntk_pair (const double *x,
             const double *y,
             gsize         d,
             guint         depth,
             double       *arccos,
             double       *ntk)
{
  double xx = 0.0, yy = 0.0, xy = 0.0;
  for (gsize j = 0; j < d; j++)
    {
      xx += x[j] * x[j];
      yy += y[j] * y[j];
      xy += x[j] * y[j];
    }
  double sigma = xy;
  double theta = xy;
  for (guint h = 0; h < depth; h++)
    {
      double dot;
      /* With c_σ = 2 the diagonal is preserved: Σ⁽ʰ⁾(x, x) = ‖x‖². */
      sigma = relu_layer (xx, yy, sigma, &dot);
      theta = theta * dot + sigma;
    }
  if (arccos)
    *arccos = sigma;
  if (ntk)
    *ntk = theta;
}

double
cs_point_kernel_eval (const CsPointKernel *k,
                      const double        *x,
                      const double        *y,
                      gsize                d)
{
  double v = 0.0;
  switch (k->kind)
    {
    case CS_POINT_KERNEL_LINEAR:
      for (gsize j = 0; j < d; j++)
        v += x[j] * y[j];
      return v;
    case CS_POINT_KERNEL_RBF:
      return exp (-k->gamma * cs_sqdist (x, y, d));
    case CS_POINT_KERNEL_ARCCOS:
      cs_ntk_pair (x, y, d, k->depth, &v, NULL);
      return v;
    case CS_POINT_KERNEL_NTK:
    default:
      cs_ntk_pair (x, y, d, k->depth, NULL, &v);
      return v;
    }
}

void
cs_point_kernel_block (const CsPointKernel *k,
                       const CsMatrix      *a,
                       gsize                a0,
                       gsize                na,
                       const CsMatrix      *b,
                       double              *out)
{
  gsize m = b->rows, d = a->cols;

  if (na == 0 || m == 0)
    return;
  /* Every kernel here is a function of the inner products: one dgemm, then entrywise work. */
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) na, (int) m, (int) d, 1.0, a->data + a0 * d, (int) d,
               b->data, (int) d, 0.0, out, (int) m);
  if (k->kind == CS_POINT_KERNEL_LINEAR)
    return;
  g_autofree double *an = g_new (double, na);
  g_autofree double *bn = g_new (double, m);
  for (gsize r = 0; r < na; r++)
    an[r] = cblas_ddot ((int) d, a->data + (a0 + r) * d, 1, a->data + (a0 + r) * d, 1);
  for (gsize j = 0; j < m; j++)
    bn[j] = cblas_ddot ((int) d, b->data + j * d, 1, b->data + j * d, 1);
  for (gsize r = 0; r < na; r++)
    for (gsize j = 0; j < m; j++)
      {
        double xy = out[r * m + j];
        double v;
        if (k->kind == CS_POINT_KERNEL_RBF)
          v = exp (-k->gamma * MAX (an[r] - 2.0 * xy + bn[j], 0.0));
        else
          {
            double sigma = xy, theta = xy;
            for (guint h = 0; h < k->depth; h++)
              {
                double dot;
                sigma = relu_layer (an[r], bn[j], sigma, &dot);
                theta = theta * dot + sigma;
              }
            v = k->kind == CS_POINT_KERNEL_ARCCOS ? sigma : theta;
          }
        out[r * m + j] = v;
      }
}
