// Header lookup for the per-request hot path. httplib's get_header_value
// finds a name in a case-insensitive map whose every comparison calls the
// C library's tolower per character; a request has a handful of headers,
// so a scan that compares lengths first is far cheaper.
#pragma once

#include <httplib.h>

#include <string_view>

namespace bot::edge {

// The value of the first header named `name` (ASCII, any case) in `headers`,
// as get_header_value returns it; empty when there is none.
std::string_view HeaderValue(const httplib::Headers& headers, std::string_view name);

}  // namespace bot::edge
