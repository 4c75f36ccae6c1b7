"""The Android entry point (python-for-android runs main.py): the tablet app on a device
store in the app's private storage (`App.user_data_dir`)."""
from kivy_client.app import run_on_device

if __name__ == "__main__":
    run_on_device()
