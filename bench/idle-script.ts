// Idles: the baseline of the memory benchmark (RSS of node + tsx doing nothing).
setInterval(() => {}, 1_000);
