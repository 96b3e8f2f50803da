// gatehouse image analyze | strip: what Gatehouse sees in an image, and the
// image with its metadata removed (src/vision).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace gh::cli {

struct ImageOptions {
  std::string action;  // analyze, strip
  std::vector<std::string> files;
  std::vector<std::string> logos;  // analyze: ID=FILE
  std::string out;                 // strip: where the clean copy goes
};

void AddImageCommand(CLI::App& app, ImageOptions& options);
int RunImage(const ImageOptions& options);

}  // namespace gh::cli
