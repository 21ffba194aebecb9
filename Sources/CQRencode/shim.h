// libqrencode (Debian libqrencode-dev): encodes a share link as a QR code, which the gateway draws as SVG.
#include <qrencode.h>
