"""A batch job: summarise a synthetic data set with numpy and pandas, then exit 0."""

import numpy as np
import pandas as pd


def main() -> int:
    rng = np.random.default_rng(seed=42)
    frame = pd.DataFrame({"group": rng.integers(0, 4, size=1000), "value": rng.normal(10.0, 2.0, size=1000)})
    summary = frame.groupby("group")["value"].agg(["count", "mean"]).round(3)
    print(summary.to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
