// For the policy layer's own .cc files only: the node-level converter.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

namespace gh::policy {
nlohmann::json YamlNodeToJson(const YAML::Node& n);
}  // namespace gh::policy
