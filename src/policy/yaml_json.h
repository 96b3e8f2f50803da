// YAML to JSON, for test data written in YAML (rule cases, scenario files).
//
// Plain scalars that read as true/false, null or a whole number become those
// JSON types; quoted scalars stay strings; dates stay strings.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.h"

namespace gh::policy {

// Parses a whole YAML document; errors name `display` and the line.
Result<nlohmann::json> YamlToJson(std::string_view yaml, const std::string& display);

}  // namespace gh::policy
