/* placeholder: to be written */
#include "kmeans.h"
const CsAlgorithm cs_algorithm_kmeans = { "kmeans", "k-means", "", "Centroid", NULL, 0, NULL };
