// libmagic (Debian libmagic-dev): identifies a file's type from its first bytes.
#include <magic.h>
