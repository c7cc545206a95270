"""The one place the SDK's version lives (build_wheel.py reads it too)."""

VERSION = "0.2.0"
SDK_NAME = "ez-pixel-python"
