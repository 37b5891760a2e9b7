// Public entry point of the MogileFS client library (lib mog_client): include this one header.
// See docs/CLIENT.md for an example.
#pragma once

#include "client/admin.h"
#include "client/client.h"
#include "client/client_error.h"
#include "client/http_transfer.h"
#include "client/reply_args.h"
#include "client/tracker_connection.h"
