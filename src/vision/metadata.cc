#include "vision/metadata.h"

#include <cmath>
#include <cstdio>
#include <mutex>

#include <exiv2/exiv2.hpp>

#include "vision/codec.h"
#include "vision/image.h"

namespace gh::vision {
namespace {

// exiv2 logs warnings about odd files to stderr and its XMP toolkit needs a
// one-time, thread-safe start.
void InitExiv2() {
  static std::once_flag once;
  std::call_once(once, [] {
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
    Exiv2::XmpParser::initialize();
  });
}

auto Open(std::string_view bytes) {
  return Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(bytes.data()),
                                   static_cast<long>(bytes.size()));
}

// Degrees from an EXIF GPS coordinate: three rationals (d, m, s).
std::optional<double> Dms(const Exiv2::ExifData& exif, const char* key, const char* ref_key) {
  auto it = exif.findKey(Exiv2::ExifKey(key));
  if (it == exif.end() || it->count() < 3) return std::nullopt;
  double v = 0, div = 1;
  for (long i = 0; i < 3; ++i) {
    const Exiv2::Rational r = it->toRational(i);
    if (r.second == 0) return std::nullopt;
    v += static_cast<double>(r.first) / r.second / div;
    div *= 60;
  }
  auto ref = exif.findKey(Exiv2::ExifKey(ref_key));
  if (ref != exif.end()) {
    const std::string s = ref->toString();
    if (!s.empty() && (s[0] == 'S' || s[0] == 'W')) v = -v;
  }
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

// XMP writes GPS as "51,30.444N" (degrees, decimal minutes, hemisphere).
std::optional<double> XmpCoordinate(const std::string& s) {
  if (s.size() < 3) return std::nullopt;
  const char hemi = s.back();
  int deg = 0;
  double min = 0;
  if (std::sscanf(s.c_str(), "%d,%lf", &deg, &min) != 2) return std::nullopt;
  double v = deg + min / 60.0;
  if (hemi == 'S' || hemi == 'W') v = -v;
  return v;
}

std::string First(const Exiv2::ExifData& exif, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    try {
      auto it = exif.findKey(Exiv2::ExifKey(k));
      if (it != exif.end()) {
        std::string v = it->toString();
        while (!v.empty() && (v.back() == ' ' || v.back() == '\0')) v.pop_back();
        if (!v.empty()) return v;
      }
    } catch (const Exiv2::Error&) {  // a maker-note key this exiv2 does not know
    }
  }
  return "";
}

std::string XmpFirst(const Exiv2::XmpData& xmp, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    try {
      auto it = xmp.findKey(Exiv2::XmpKey(k));
      if (it != xmp.end() && !it->toString().empty()) return it->toString();
    } catch (const Exiv2::Error&) {
    }
  }
  return "";
}

// "2026:05:01 14:03:00" -> "2026-05-01T14:03:00"; anything else as it is.
std::string IsoTime(std::string s) {
  if (s.size() >= 19 && s[4] == ':' && s[7] == ':' && s[10] == ' ') {
    s[4] = '-';
    s[7] = '-';
    s[10] = 'T';
    s.resize(19);
  }
  return s;
}

}  // namespace

Result<Metadata> ReadMetadata(std::string_view bytes) {
  InitExiv2();
  Metadata md;
  try {
    auto image = Open(bytes);
    if (image.get() == nullptr) return md;
    image->readMetadata();
    const Exiv2::ExifData& exif = image->exifData();
    const Exiv2::XmpData& xmp = image->xmpData();
    for (const auto& d : exif) md.keys.push_back(d.key());
    for (const auto& d : xmp) md.keys.push_back(d.key());
    for (const auto& d : image->iptcData()) md.keys.push_back(d.key());
    if (!image->comment().empty()) md.keys.push_back("Comment");
    if (image->iccProfileDefined()) md.keys.push_back("ICC profile");

    md.make = First(exif, {"Exif.Image.Make"});
    md.model = First(exif, {"Exif.Image.Model"});
    md.serial = First(exif, {"Exif.Photo.BodySerialNumber", "Exif.Image.CameraSerialNumber",
                             "Exif.Canon.SerialNumber", "Exif.Nikon3.SerialNumber",
                             "Exif.Olympus.SerialNumber", "Exif.Fujifilm.SerialNumber",
                             "Exif.Pentax.SerialNumber", "Exif.Sony1.SerialNumber"});
    md.software = First(exif, {"Exif.Image.Software"});
    md.captured_at = IsoTime(First(exif, {"Exif.Photo.DateTimeOriginal", "Exif.Image.DateTime"}));
    if (md.make.empty()) md.make = XmpFirst(xmp, {"Xmp.tiff.Make"});
    if (md.model.empty()) md.model = XmpFirst(xmp, {"Xmp.tiff.Model"});
    if (md.serial.empty()) {
      md.serial = XmpFirst(xmp, {"Xmp.exifEX.BodySerialNumber", "Xmp.aux.SerialNumber"});
    }
    if (md.captured_at.empty()) {
      md.captured_at = XmpFirst(xmp, {"Xmp.exif.DateTimeOriginal", "Xmp.photoshop.DateCreated"});
    }
    const std::string orient = First(exif, {"Exif.Image.Orientation"});
    if (!orient.empty()) md.orientation = std::atoi(orient.c_str());

    auto lat = Dms(exif, "Exif.GPSInfo.GPSLatitude", "Exif.GPSInfo.GPSLatitudeRef");
    auto lon = Dms(exif, "Exif.GPSInfo.GPSLongitude", "Exif.GPSInfo.GPSLongitudeRef");
    if (!lat || !lon) {
      lat = XmpCoordinate(XmpFirst(xmp, {"Xmp.exif.GPSLatitude"}));
      lon = XmpCoordinate(XmpFirst(xmp, {"Xmp.exif.GPSLongitude"}));
    }
    if (lat && lon && std::abs(*lat) <= 90 && std::abs(*lon) <= 180) md.gps = GeoPoint{*lat, *lon};
  } catch (const Exiv2::AnyError& e) {
    return Status::InvalidArgument("has metadata that cannot be read (" + std::string(e.what()) +
                                   ")");
  }
  return md;
}

int ReadOrientation(std::string_view bytes) {
  Result<Metadata> md = ReadMetadata(bytes);
  return md.ok() ? md->orientation : 1;
}

Result<std::string> StripMetadata(std::string_view bytes) {
  InitExiv2();
  GH_ASSIGN_OR_RETURN(ImageInfo info, Probe(bytes, Limits{}));
  GH_ASSIGN_OR_RETURN(Metadata before, ReadMetadata(bytes));
  std::string out;
  if (before.orientation != 1 || info.format == Format::kBmp) {
    // Re-encode with the rotation applied (Decode applies it); the encoder
    // writes no metadata at all.
    GH_ASSIGN_OR_RETURN(cv::Mat pixels, DecodeProbed(bytes, info, before.orientation));
    if (info.format == Format::kJpeg) {
      GH_ASSIGN_OR_RETURN(out, EncodeJpeg(pixels, 92));
    } else {
      GH_ASSIGN_OR_RETURN(out, EncodePng(pixels));
    }
  } else if (before.keys.empty()) {
    out.assign(bytes);
  } else {
    try {
      auto image = Open(bytes);
      if (image.get() == nullptr) return Status::InvalidArgument("is not an image exiv2 can write");
      image->readMetadata();
      image->clearMetadata();
      image->writeMetadata();
      Exiv2::BasicIo& io = image->io();
      io.seek(0, Exiv2::BasicIo::beg);
      Exiv2::DataBuf buf = io.read(static_cast<long>(io.size()));
      out.assign(reinterpret_cast<const char*>(buf.pData_), static_cast<size_t>(buf.size_));
    } catch (const Exiv2::AnyError& e) {
      return Status::InvalidArgument("could not have its metadata removed (" +
                                     std::string(e.what()) + ")");
    }
  }
  GH_ASSIGN_OR_RETURN(Metadata after, ReadMetadata(out));
  if (!after.keys.empty()) {
    return Status::Internal("metadata remained after stripping: " + after.keys.front());
  }
  return out;
}

}  // namespace gh::vision
