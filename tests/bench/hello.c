/* hello.c — the bench's `hello` reference line: a minimal libfcgi
 * responder with no database, the ceiling of the FastCGI path behind
 * the same nginx (issue 8). Answers every request with "hello".
 *
 *   hello SOCKET PROCESSES */
#include <stdio.h>

#include "prefork.h"

static void
handle(FCGX_Request *r)
{
	FCGX_PutS("Status: 200 OK\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: 6\r\n"
	    "\r\n"
	    "hello\n", r->out);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: hello SOCKET PROCESSES\n");
		return 2;
	}
	return prefork_run("hello", argv[1], argv[2], NULL, handle);
}
