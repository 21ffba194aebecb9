// The libcurl calls Swift cannot make directly: curl_easy_setopt and curl_easy_getinfo are variadic.
// Each wrapper fixes the argument type, so Swift calls a plain C function.
#ifndef DROPGATE_CCURL_SHIM_H
#define DROPGATE_CCURL_SHIM_H
#include <curl/curl.h>

static inline CURLcode dg_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode dg_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode dg_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode dg_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode dg_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
typedef size_t (*dg_data_callback)(char *buffer, size_t size, size_t count, void *context);
static inline CURLcode dg_setopt_data_callback(CURL *handle, CURLoption option, dg_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}
typedef int (*dg_progress_callback)(void *context, curl_off_t downloadTotal, curl_off_t downloaded, curl_off_t uploadTotal, curl_off_t uploaded);
static inline CURLcode dg_setopt_progress_callback(CURL *handle, dg_progress_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}
static inline long dg_response_code(CURL *handle) {
    long code = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
    return code;
}
static inline long dg_connects(CURL *handle) {
    long count = 0;
    curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &count);
    return count;
}
#endif
