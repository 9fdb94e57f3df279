"""Cross-validation on its own thread: folds appear as they finish, and Stop lands within a moment."""
from __future__ import annotations

import logging
import threading

from core import CrossValidationResult, Dataset, ExperimentSettings, iter_cross_validation


class CrossValidationJob:
    """Runs every fold of ``settings`` on ``dataset`` on a daemon thread; ``stop()`` ends the fold under
    way part-way (each fold checks every few epochs) and no further fold starts."""

    def __init__(self, dataset: Dataset, settings: ExperimentSettings, n_folds: int, label: str) -> None:
        self.label, self.data_name = label, dataset.name
        self.result = CrossValidationResult(settings, n_folds)
        self.error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, args=(dataset,), name="backprop-lab-cv", daemon=True)
        self._thread.start()

    def _work(self, dataset: Dataset) -> None:
        try:
            for fold in iter_cross_validation(dataset, self.result.settings, self.result.n_folds, self._stop.is_set):
                self.result.folds.append(fold)
                self.result.stopped = fold.stop_reason == "stopped by the user"
        except ValueError as err:
            self.error = str(err)
        except Exception as err:  # a worker must never die silently: the page says what happened
            logging.getLogger(__name__).exception("cross-validation failed")
            self.error = f"cross-validation failed ({type(err).__name__}: {err})"

    def stop(self, wait: float = 0.3) -> None:
        self._stop.set()
        self._thread.join(wait)

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()
