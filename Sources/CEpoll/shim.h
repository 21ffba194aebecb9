// Linux epoll, which Glibc's Swift module does not carry: the event loop where quiet connections wait without a thread.
#ifndef DROPGATE_CEPOLL_SHIM_H
#define DROPGATE_CEPOLL_SHIM_H
#include <sys/epoll.h>
#endif
