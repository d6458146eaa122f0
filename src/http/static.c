/* static.c: static files with ETag/304, pre-compressed .gz and single-page-app fallbacks */
#include "http/static.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".ico", "image/x-icon" },
	{ ".woff", "font/woff" },
	{ ".woff2", "font/woff2" },
	{ ".ttf", "font/ttf" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".webmanifest", "application/manifest+json" },
};

static const char *mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcmp(dot, types[i].ext))
				return types[i].type;
	return "application/octet-stream";
}

/* A path is safe when it is absolute and no segment is empty-dot, "..", or hidden. */
static int safe_path(const char *p)
{
	if (p[0] != '/' || strchr(p, '\\') || strstr(p, "%00"))
		return 0;
	for (const char *seg = p; seg; seg = strchr(seg + 1, '/'))
		if (seg[1] == '.')
			return 0;
	return 1;
}

/* Opens root + rel as a regular file whose real path stays inside root. */
static int open_inside(const char *root, const char *rel, struct stat *st)
{
	char full[PATH_MAX], real[PATH_MAX], realroot[PATH_MAX];
	int fd;

	if ((size_t)snprintf(full, sizeof(full), "%s%s", root, rel) >= sizeof(full))
		return -1;
	if (!realpath(root, realroot) || !realpath(full, real))
		return -1;
	size_t n = strlen(realroot);
	if (strncmp(real, realroot, n) || real[n] != '/')
		return -1;
	fd = open(real, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Client-side routes of the two applications fall back to their index.html. */
static const char *fallback(const char *path)
{
	if (!strncmp(path, "/admin/", 7) || !strcmp(path, "/admin"))
		return "/admin/index.html";
	if (!strncmp(path, "/m/", 3) || !strcmp(path, "/m"))
		return "/m/index.html";
	return NULL;
}

static int accepts_gzip(const struct request *req)
{
	const char *ae = req_header(req, "Accept-Encoding");

	return ae && strstr(ae, "gzip");
}

static void not_found(struct response *resp)
{
	resp_problem(resp, 404, "not_found", "页面不存在", NULL);
}

void static_serve(const char *root, struct request *req, struct response *resp)
{
	char rel[PATH_MAX], gz[PATH_MAX + 3], etag[64];
	const char *inm, *path = req->path;
	struct stat st, gst;
	int fd, gfd = -1;

	if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
		resp_header(resp, "Allow", "GET, HEAD");
		resp_problem(resp, 405, "method_not_allowed", "不支持该请求方法", NULL);
		return;
	}
	if (!safe_path(path) || strlen(path) >= sizeof(rel) - 16) {
		not_found(resp);
		return;
	}
	snprintf(rel, sizeof(rel), "%s%s", path, path[strlen(path) - 1] == '/' ? "index.html" : "");
	fd = open_inside(root, rel, &st);
	if (fd < 0 && fallback(path) && !strchr(strrchr(path, '/'), '.')) {
		str_copy(rel, sizeof(rel), fallback(path));
		fd = open_inside(root, rel, &st);
	}
	if (fd < 0) {
		not_found(resp);
		return;
	}
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st.st_mtime,
		 (unsigned long long)st.st_size);
	resp_header(resp, "ETag", etag);
	resp_header(resp, "Vary", "Accept-Encoding");
	/* Vite puts content hashes in the names under assets/: those never change. */
	resp_header(resp, "Cache-Control", strstr(rel, "/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
	resp->document = 1;
	resp->content_type = mime_type(rel);
	inm = req_header(req, "If-None-Match");
	if (inm && strstr(inm, etag)) {
		close(fd);
		resp->status = 304;
		resp->content_type = NULL;
		return;
	}
	snprintf(gz, sizeof(gz), "%s.gz", rel);
	if (accepts_gzip(req) && (gfd = open_inside(root, gz, &gst)) >= 0) {
		close(fd);
		fd = gfd;
		st = gst;
		resp_header(resp, "Content-Encoding", "gzip");
	}
	resp->status = 200;
	resp->fd = fd;
	resp->fd_size = (uint64_t)st.st_size;
}
