# Shared by scripts/dev and scripts/test: a virtualenv with the project's requirements, and the
# compiled translations. Quiet when nothing changed.
venv() {
  local requirements=$1 py
  py=$(command -v python3.11 || command -v python3)
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  local stamp=".venv/.installed-$(sha1sum "$requirements" requirements.txt | sha1sum | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    .venv/bin/pip install -q --disable-pip-version-check -r "$requirements"
    touch "$stamp"
  fi
  local out
  out=$(.venv/bin/pybabel compile -d app/translations 2>&1) || { echo "$out" >&2; return 1; }
}
