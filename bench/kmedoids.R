# R's cluster::pam from given initial medoids, for bench/kmedoids.py.
#
#   Rscript bench/kmedoids.R DATA.csv MEDOIDS.txt PAMONCE [REPEATS]
#
# MEDOIDS holds 0-based row indices (ours); pam wants 1-based. The timed part is dist() + pam(),
# as our figure includes building the dissimilarity matrix. Prints one JSON line with medians.
suppressPackageStartupMessages (library (cluster))

args <- commandArgs (trailingOnly = TRUE)
if (length (args) < 3)
  stop ("usage: Rscript kmedoids.R DATA.csv MEDOIDS.txt PAMONCE [REPEATS]")
x <- as.matrix (read.csv (args[1], header = FALSE))
start <- scan (args[2], what = integer (), quiet = TRUE) + 1L
pamonce <- as.integer (args[3])
repeats <- if (length (args) > 3) max (1L, as.integer (args[4])) else 3L
n <- nrow (x)
k <- length (start)

seconds_dissim <- numeric (repeats)
seconds_total <- numeric (repeats)
fit <- NULL
for (r in seq_len (repeats)) {
  fit <- NULL
  gc ()
  t_d <- system.time (d <- dist (x))[["elapsed"]]
  t_p <- system.time (fit <- pam (d, k, diss = TRUE, medoids = start, pamonce = pamonce,
                                  keep.diss = FALSE))[["elapsed"]]
  rm (d)
  seconds_dissim[r] <- t_d
  seconds_total[r] <- t_d + t_p
}

# Read before the check below allocates anything.
status <- readLines ("/proc/self/status")
hwm <- as.numeric (gsub ("[^0-9]", "", status[grepl ("^VmHWM:", status)]))

# $objective is the mean dissimilarity to the nearest medoid after BUILD and after SWAP; the total
# is that times n. Recompute it from the coordinates (O(n k d), no n x n matrix) to be sure.
medoids <- as.integer (fit$id.med)
nearest <- rep (Inf, n)
for (m in medoids)
  nearest <- pmin (nearest, sqrt (rowSums (sweep (x, 2, x[m, ])^2)))
loss <- fit$objective[["swap"]] * n
if (abs (sum (nearest) - loss) > 1e-6 * loss)
  stop (sprintf ("objective * n = %.10g but the recomputed loss is %.10g", loss, sum (nearest)))

cat (sprintf (paste0 ("{\"algorithm\": \"pamonce=%d\", \"n\": %d, \"d\": %d, \"k\": %d, ",
                      "\"seconds_dissim\": %.6f, \"seconds_total\": %.6f, \"loss\": %.10g, ",
                      "\"medoids\": [%s], \"peak_rss_kib\": %.0f}\n"),
              pamonce, n, ncol (x), k, median (seconds_dissim), median (seconds_total), sum (nearest),
              paste (medoids - 1L, collapse = ","), hwm))
