# A ReNette dask worker (and notebook) image: what `make setup` installs, from
# Debian 12's packages and PyPI. Not built on the project's machines (no
# registry of images is reachable there); keep it to the Makefile's steps.
#   docker build -f docker/worker.Dockerfile -t renette-worker .
#   docker run renette-worker dask worker tcp://scheduler:8786 --nthreads 1
FROM debian:12-slim

# The Makefile's APT_PACKAGES less chromium (only the end-to-end tests need it).
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      r-base-core r-base-dev r-cran-wgcna r-cran-minerva r-cran-igraph r-cran-jsonlite \
      r-cran-testthat r-cran-rcpp libopenblas0-serial python3 python3-venv python3-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/renette
COPY . .
# the R engine, in the library RENETTE_R_LIBS names
RUN mkdir -p /opt/renette/.rlib && R CMD INSTALL --no-multiarch --library=/opt/renette/.rlib rlib
# the Python package with the object-store client, in a venv on PATH
RUN python3 -m venv /opt/renette/.venv \
 && /opt/renette/.venv/bin/pip install -q --upgrade pip \
 && /opt/renette/.venv/bin/pip install -q '.[s3]'

# One thread per process (renette_widgets.config.worker_env): dask workers are
# the parallelism; glibc keeps freed memory for reuse (config.MALLOC_ENV).
ENV PATH=/opt/renette/.venv/bin:$PATH \
    RENETTE_R_LIBS=/opt/renette/.rlib \
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 VECLIB_MAXIMUM_THREADS=1 \
    MALLOC_TRIM_THRESHOLD_=268435456 MALLOC_MMAP_THRESHOLD_=33554432
CMD ["dask", "worker", "--help"]
