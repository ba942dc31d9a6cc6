# A class image: JupyterLab, Notebook and JupyterHub's single-user server with the deepts kernel.
#   docker build -t deepts-class .
#   docker run -p 8888:8888 deepts-class                       # one person
#   c.DockerSpawner.image = "deepts-class"                     # a class on JupyterHub
# Teacher's limits for every kernel: --build-arg DEEPTS_KERNEL_ENV="DEEPTS_CELL_TIMEOUT=300 DEEPTS_TENSOR_MB=1024"
FROM node:20-bookworm-slim

ARG JUPYTERHUB_VERSION=3.0.0
ARG DEEPTS_KERNEL_ENV=""

RUN apt-get update \
  && apt-get install -y --no-install-recommends g++ make python3 python3-venv libopenblas-dev \
  && rm -rf /var/lib/apt/lists/*

RUN python3 -m venv /opt/jupyter \
  && /opt/jupyter/bin/pip install --no-cache-dir \
    "jupyterlab>=4.6,<4.7" "notebook>=7.6,<7.7" "ipywidgets>=8.1,<8.2" "jupyterhub==${JUPYTERHUB_VERSION}"
ENV PATH=/opt/jupyter/bin:$PATH

COPY . /opt/deepts
WORKDIR /opt/deepts
# node-gyp builds the native addon against this Node's own headers (nothing is downloaded).
ENV npm_config_nodedir=/usr/local
RUN DEEPTS_KERNEL_PREFIX=/opt/jupyter DEEPTS_KERNEL_ENV="${DEEPTS_KERNEL_ENV}" binder/postBuild \
  && npm cache clean --force

# JupyterHub's DockerSpawner and Binder run the image as uid 1000: the image's `node` user.
USER node
WORKDIR /home/node
ENV HOME=/home/node
EXPOSE 8888
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--port=8888", "--no-browser"]
