// Public entry point of the MogileFS client library (lib mog_client): include this one header.
// See docs/CLIENT.md for an example.
#pragma once

#include "tools/client/admin.h"
#include "tools/client/client.h"
#include "tools/client/client_error.h"
#include "tools/client/http_transfer.h"
#include "tools/client/reply_args.h"
#include "tools/client/tracker_connection.h"
