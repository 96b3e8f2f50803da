#include "cli/image_command.h"

#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "cli/runtime.h"
#include "vision/analyzer.h"

namespace gh::cli {

void AddImageCommand(CLI::App& app, ImageOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "image", "Images: what Gatehouse reads in one (analyze), or a copy without metadata (strip)");
  cmd->add_option("action", o.action, "analyze | strip")
      ->required()
      ->check(CLI::IsMember({"analyze", "strip"}));
  cmd->add_option("files", o.files, "Image files")->required();
  cmd->add_option("--logo", o.logos, "analyze: a registered logo to look for, as ID=FILE");
  cmd->add_option("-o,--out", o.out, "strip: the file to write (refuses to overwrite the input)");
}

int RunImage(const ImageOptions& o) {
  auto read = [](const std::string& path, std::string& bytes) {
    if (!ReadFileToString(path, bytes)) return Fail(path + ": cannot be read");
    return 0;
  };
  if (o.action == "strip") {
    if (o.files.size() != 1 || o.out.empty()) {
      return Fail("image strip: give one input file and --out FILE");
    }
    if (o.out == o.files[0]) return Fail("image strip: --out must differ from the input");
    std::string bytes;
    if (int rc = read(o.files[0], bytes)) return rc;
    Result<std::string> clean = vision::StripMetadata(bytes);
    if (!clean.ok()) return Fail(o.files[0] + ": " + clean.status().message());
    std::ofstream f(o.out, std::ios::binary | std::ios::trunc);
    f.write(clean->data(), static_cast<std::streamsize>(clean->size()));
    if (!f.good()) return Fail(o.out + ": cannot be written");
    return 0;
  }
  std::vector<vision::LogoLibrary::Source> sources;
  for (const std::string& spec : o.logos) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) return Fail("--logo " + spec + ": expected ID=FILE");
    vision::LogoLibrary::Source s{spec.substr(0, eq), "", spec.substr(eq + 1)};
    if (int rc = read(s.where, s.bytes)) return rc;
    sources.push_back(std::move(s));
  }
  auto logos = vision::LogoLibrary::Build(sources);
  if (!logos.ok()) return Fail(logos.status().message());
  auto analyzer = vision::Analyzer::Create({});
  if (!analyzer.ok()) return Fail(analyzer.status().message());
  int rc = 0;
  for (const std::string& path : o.files) {
    std::string bytes;
    if (int r = read(path, bytes)) return r;
    Result<vision::ImageReport> report = (*analyzer)->Analyze(bytes, logos->get());
    if (!report.ok()) {
      std::cerr << "gatehouse: " << path << ": " << report.status().message() << "\n";
      rc = kExitBadInput;
      continue;
    }
    nlohmann::json j = vision::ToJson(*report);
    j["file"] = path;
    std::cout << j.dump() << "\n";
  }
  return rc;
}

}  // namespace gh::cli
