"""Presenters: the tablet's state and commands in plain Python (no Kivy), one per screen."""
from kivy_client.presenters.base import InlineRunner, PresenterError, ThreadRunner, localize
from kivy_client.presenters.enrol import EnrolPresenter
from kivy_client.presenters.inspection import InspectionPresenter
from kivy_client.presenters.records import RecordsPresenter
from kivy_client.presenters.scan import ScanPresenter
from kivy_client.presenters.standard import StandardPresenter
from kivy_client.presenters.sync import SyncPresenter

__all__ = ["EnrolPresenter", "InlineRunner", "InspectionPresenter", "PresenterError", "RecordsPresenter",
           "ScanPresenter", "StandardPresenter", "SyncPresenter", "ThreadRunner", "localize"]
