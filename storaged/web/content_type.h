// What a browser is told about a by-key file: its Content-Type from the key's extension, and
// whether it may be shown inline. Anything outside the inline list (by default images, video
// and audio that cannot carry script; not SVG) goes out as an attachment, so uploaded HTML,
// SVG or JS never runs script on the serving domain.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mog::storage::web {

// By the key's extension (case-insensitive); "application/octet-stream" when unknown.
std::string_view WebContentType(std::string_view key);

// The default inline list (web_inline_types).
const std::vector<std::string>& DefaultInlineTypes();

// `inline_types` entries are exact types or "type/*" prefixes.
bool IsInlineType(std::string_view content_type, const std::vector<std::string>& inline_types);

// `attachment; filename="<ascii>"; filename*=UTF-8''<encoded last key segment>`.
std::string AttachmentDisposition(std::string_view key);

}  // namespace mog::storage::web
