// fuzz_image: arbitrary bytes as an uploaded image (src/vision).
//
// Probe must refuse or accept without reading past the end; whatever it
// accepts (within small limits, so a fuzzer cannot make the decoders allocate
// much) is decoded, its metadata read and stripped. A stripped copy must
// itself read back with no metadata. Nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vision/image.h"
#include "vision/metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gh;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  vision::Limits limits;
  limits.max_bytes = 1 << 20;
  limits.max_pixels = 1 << 20;
  limits.max_side = 4096;
  auto info = vision::Probe(bytes, limits);
  if (!info.ok()) return 0;
  if (info->width == 0 || info->height == 0 || info->width > limits.max_side) std::abort();
  auto pixels = vision::Decode(bytes, limits);
  if (pixels.ok() && (pixels->empty() || pixels->channels() != 3)) std::abort();
  auto md = vision::ReadMetadata(bytes);
  if (!md.ok()) return 0;
  auto clean = vision::StripMetadata(bytes);
  if (clean.ok()) {
    auto again = vision::ReadMetadata(*clean);
    if (again.ok() && !again->keys.empty()) std::abort();
  }
  return 0;
}
