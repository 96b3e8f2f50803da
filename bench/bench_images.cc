// bench_images: the time to look at one image (src/vision), per kind of
// picture, beside a baseline in the same run: plain Tesseract on the same
// pixels (what a product without deskewing and second looks would pay).
// Pictures are built here (tests/support/images); the face and logo cases
// need Debian's opencv-doc sample pictures and are skipped without them.
//
//   build/release/bench/bench_images --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true      (one command line)
#include <benchmark/benchmark.h>

#include <tesseract/baseapi.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/images/test_images.h"
#include "vision/analyzer.h"

extern "C" void omp_set_max_active_levels(int max_levels);  // libgomp

namespace {

using namespace gh;

const vision::Analyzer& Shared() {
  static std::shared_ptr<vision::Analyzer> a = *vision::Analyzer::Create({});
  return *a;
}

std::string Certificate(double angle, double scale) {
  testimg::CertificateSpec spec;
  spec.name = "Harvey Wainwright";
  spec.angle_deg = angle;
  spec.scale = scale;
  spec.format = "jpeg";
  return testimg::RenderCertificate(spec);
}

// A phone-sized photo: 4000 x 3000 JPEG with EXIF, the composed faces
// scaled up when the samples exist, else a certificate.
std::string PhonePhoto() {
  auto faces = testimg::ComposeFaces(2, 5);
  const std::string base = faces ? faces->bytes : Certificate(0, 1);
  cv::Mat m = cv::imdecode(std::vector<uint8_t>(base.begin(), base.end()), cv::IMREAD_COLOR);
  cv::resize(m, m, cv::Size(4000, 3000), 0, 0, cv::INTER_CUBIC);
  std::vector<uint8_t> buf;
  cv::imencode(".jpg", m, buf, {cv::IMWRITE_JPEG_QUALITY, 90});
  testimg::ExifSpec exif;
  exif.gps = {{52.48, -1.89}};
  exif.make = "Apple";
  exif.model = "iPhone 13";
  return testimg::WithExif(std::string(buf.begin(), buf.end()), exif);
}

void Analyze(benchmark::State& state, const std::string& bytes, const vision::LogoLibrary* logos) {
  for (auto _ : state) {
    auto r = Shared().Analyze(bytes, logos);
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.counters["images/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Analyze_CertificateUpright(benchmark::State& s) { Analyze(s, Certificate(0, 1), nullptr); }
void BM_Analyze_CertificateTilted(benchmark::State& s) {
  Analyze(s, Certificate(14, 0.8), nullptr);
}
void BM_Analyze_PhonePhoto12MP(benchmark::State& s) { Analyze(s, PhonePhoto(), nullptr); }
void BM_Analyze_FacesWithLogos(benchmark::State& s) {
  auto photo = testimg::ComposeFaces(3, 9);
  if (!photo) return s.SkipWithError("opencv-doc sample pictures not installed");
  auto lib = vision::LogoLibrary::Build(
      {{"a", testimg::RenderLogo("AB", 1), "a"}, {"b", testimg::RenderLogo("CD", 2), "b"}});
  Analyze(s, photo->bytes, lib->get());
}

// Baseline: Tesseract alone on the upright certificate's pixels, one page
// segmentation pass, no deskew, no second looks.
void BM_Baseline_PlainTesseract(benchmark::State& state) {
  omp_set_max_active_levels(0);  // the same threading as the Analyzer
  const std::string bytes = Certificate(0, 1);
  cv::Mat grey =
      cv::imdecode(std::vector<uint8_t>(bytes.begin(), bytes.end()), cv::IMREAD_GRAYSCALE);
  tesseract::TessBaseAPI api;
  if (api.Init(nullptr, "eng", tesseract::OEM_LSTM_ONLY) != 0) return state.SkipWithError("no eng");
  api.SetVariable("debug_file", "/dev/null");
  for (auto _ : state) {
    api.SetImage(grey.data, grey.cols, grey.rows, 1, static_cast<int>(grey.step));
    api.SetSourceResolution(300);
    std::unique_ptr<char[]> text(api.GetUTF8Text());
    benchmark::DoNotOptimize(text);
    api.Clear();
  }
  api.End();
  state.counters["images/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// What refusing a decompression bomb costs (headers only).
void BM_Probe_PngBomb(benchmark::State& state) {
  const std::string bomb = testimg::PngBomb(20000, 20000);
  for (auto _ : state) benchmark::DoNotOptimize(vision::Probe(bomb, vision::Limits{}));
}

void BM_Strip_PhonePhoto12MP(benchmark::State& state) {
  const std::string photo = PhonePhoto();
  for (auto _ : state) benchmark::DoNotOptimize(vision::StripMetadata(photo));
}

BENCHMARK(BM_Baseline_PlainTesseract)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Analyze_CertificateUpright)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Analyze_CertificateTilted)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Analyze_FacesWithLogos)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Analyze_PhonePhoto12MP)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Probe_PngBomb)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Strip_PhonePhoto12MP)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
