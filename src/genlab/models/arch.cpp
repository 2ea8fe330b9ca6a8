#include "genlab/models/arch.hpp"

#include <stdexcept>

namespace genlab::models {
namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string shape_json(const std::vector<std::size_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string float_json(float v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string layer_json(const nn::LayerSpec& l) {
  std::string s = "{\"kind\": " + quoted(nn::layer_kind_name(l.kind)) + ", \"in\": " + std::to_string(l.in) +
                  ", \"out\": " + std::to_string(l.out);
  if (l.kind == nn::LayerKind::Activation) s += ", \"act\": " + quoted(nn::act_name(l.act)) + ", \"alpha\": " + float_json(l.alpha);
  if (l.kind == nn::LayerKind::Dropout) s += ", \"rate\": " + float_json(l.rate);
  if (l.kind == nn::LayerKind::BatchNorm) s += ", \"shape\": " + shape_json({l.in_img.c, l.in_img.h, l.in_img.w});
  if (l.kind == nn::LayerKind::Conv2d || l.kind == nn::LayerKind::ConvTranspose2d)
    s += ", \"inShape\": " + shape_json({l.in_img.c, l.in_img.h, l.in_img.w}) + ", \"outShape\": " +
         shape_json({l.out_img.c, l.out_img.h, l.out_img.w}) + ", \"kernel\": " + std::to_string(l.k) +
         ", \"stride\": " + std::to_string(l.stride) + ", \"padding\": " + std::to_string(l.pad);
  return s + "}";
}

}  // namespace

std::size_t ArchSpec::parameter_count() const {
  std::size_t n = 0;
  for (const nn::NetSpec& net : nets) n += net.parameter_count();
  return n;
}

const nn::NetSpec& ArchSpec::net(const std::string& name) const {
  for (const nn::NetSpec& n : nets)
    if (n.name == name) return n;
  throw std::out_of_range("the " + model + " has no network '" + name + "'");
}

std::string ArchSpec::to_json() const {
  std::string s = "{\"model\": " + quoted(model) + ", \"dataDim\": " + std::to_string(data_dim) +
                  ", \"pack\": " + std::to_string(pack) +
                  ", \"classes\": " + std::to_string(classes) + ", \"noise\": " + std::to_string(noise) +
                  ", \"noiseDist\": " + quoted(noise_dist) + ", \"head\": " + quoted(head) +
                  ", \"ema\": " + (ema ? "true" : "false") + ", \"parameters\": " + std::to_string(parameter_count()) +
                  ", \"nets\": [";
  for (std::size_t i = 0; i < nets.size(); ++i) {
    const nn::NetSpec& n = nets[i];
    s += (i ? ", " : "") + std::string("{\"name\": ") + quoted(n.name) + ", \"in\": " + std::to_string(n.in()) +
         ", \"out\": " + std::to_string(n.out()) + ", \"parameters\": " + std::to_string(n.parameter_count()) +
         ", \"layers\": [";
    for (std::size_t j = 0; j < n.layers.size(); ++j) s += (j ? ", " : "") + layer_json(n.layers[j]);
    s += "], \"params\": [";
    const auto ps = n.params();
    for (std::size_t j = 0; j < ps.size(); ++j)
      s += (j ? ", " : "") + std::string("{\"name\": ") + quoted(ps[j].name) + ", \"shape\": " + shape_json(ps[j].shape) +
           ", \"trainable\": " + (ps[j].trainable ? "true" : "false") + "}";
    s += "]}";
  }
  s += "], \"graph\": [";
  for (std::size_t i = 0; i < graph.size(); ++i) {
    const GraphNode& g = graph[i];
    s += (i ? ", " : "") + std::string("{\"id\": ") + quoted(g.id) + ", \"kind\": " + quoted(g.kind) + ", \"inputs\": [";
    for (std::size_t j = 0; j < g.inputs.size(); ++j) s += (j ? ", " : "") + quoted(g.inputs[j]);
    s += "], \"width\": " + std::to_string(g.width) + ", \"stat\": " + quoted(g.stat) + "}";
  }
  return s + "]}";
}

bool same_but_head(const ArchSpec& a, const ArchSpec& b) {
  ArchSpec b_with_a_head = b;
  b_with_a_head.head = a.head;
  return a.to_json() == b_with_a_head.to_json();
}

}  // namespace genlab::models
