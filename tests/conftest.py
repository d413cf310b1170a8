import pytest

# the shared helpers' asserts explain themselves as the tests' own do (registered before anything imports them)
pytest.register_assert_rewrite("tests.support", "tests.fakes")

pytest_plugins = ["tests.support.outside", "tests.support.fixtures", "tests.support.browser"]
