#include "classify/trainer.h"

#include <cmath>
#include <random>

namespace gh::classify {

bool IsValidationText(std::string_view text) {
  return Hash(text, 0x686f6c646f7574ULL) % 5 == 0;  // seed "holdout"
}

LinearModel Train(const std::vector<Example>& examples, const std::vector<std::string>& heads,
                  const TrainConfig& config, std::string manifest) {
  const size_t nh = heads.size();
  const size_t buckets = size_t{1} << config.features.bucket_bits;
  std::vector<float> w(buckets * nh, 0.0f), g2(buckets * nh, 0.0f);
  std::vector<float> bias(nh, 0.0f), bias_g2(nh, 0.0f);

  // Features once per example.
  std::vector<std::vector<uint32_t>> feats(examples.size());
  {
    std::vector<std::pair<uint32_t, uint32_t>> words;
    std::vector<Feature> fs;
    for (size_t i = 0; i < examples.size(); ++i) {
      Words(examples[i].text, words);
      fs.clear();
      Featurize(examples[i].text, words, config.features, fs);
      feats[i].reserve(fs.size());
      for (const Feature& f : fs) feats[i].push_back(f.bucket);
    }
  }

  std::vector<size_t> order(examples.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(config.seed);
  constexpr float kEps = 1e-8f;
  for (int epoch = 0; epoch < config.epochs; ++epoch) {
    // Fisher-Yates with our own draws, so the order does not depend on the
    // standard library's shuffle.
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    for (size_t idx : order) {
      const Example& ex = examples[idx];
      const auto& fs = feats[idx];
      if (fs.empty()) continue;
      const float v = FeatureValue(fs.size(), config.features);
      for (size_t h = 0; h < nh; ++h) {
        if (ex.label[h] < 0) continue;
        float z = bias[h];
        for (uint32_t b : fs) z += w[b * nh + h] * v;
        const float p = 1.0f / (1.0f + std::exp(-z));
        const float g = (p - static_cast<float>(ex.label[h])) * ex.weight;
        for (uint32_t b : fs) {
          float& wi = w[b * nh + h];
          const float grad = g * v + config.l2 * wi;
          float& acc = g2[b * nh + h];
          acc += grad * grad;
          wi -= config.learning_rate * grad / std::sqrt(acc + kEps);
        }
        bias_g2[h] += g * g;
        bias[h] -= config.learning_rate * g / std::sqrt(bias_g2[h] + kEps);
      }
    }
  }
  return LinearModel::Quantize(config.features, heads, w, bias, std::move(manifest));
}

}  // namespace gh::classify
