/* notify_worker.h: the thread that sends the outbox's outside messages, on a connection of its own */
#ifndef DOMAIN_NOTIFY_WORKER_H
#define DOMAIN_NOTIFY_WORKER_H

#include <stddef.h>

#include "domain/notify.h"

struct notify_worker;

/*
 * Opens its own connection to the database at path and starts the thread,
 * which delivers what is due (notify_deliver) with send every every_sec
 * seconds. Returns NULL with err filled if the database cannot be opened.
 */
struct notify_worker *notify_worker_start(const char *path, unsigned every_sec, notify_send_fn send, char *err,
					  size_t errlen);
/* Stops the thread (a send under way finishes first), closes its connection and frees w. NULL is fine. */
void notify_worker_stop(struct notify_worker *w);

#endif
