from tests.confirmations.conftest import published, stage  # noqa: F401  (a published visit)
