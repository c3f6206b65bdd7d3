// How the send form frames its payload: raw, with the connection's rule, or with another rule picked here.
import { describeFramingRule, type FramingRule } from '../../../shared';
import type { FramingForm } from '../../state/framing-form';
import { FramingFields } from './FramingFields';
import type { SendFraming } from './use-send-plan';

export function SendFramingRow(props: {
  value: SendFraming;
  onChange: (value: SendFraming) => void;
  own: FramingRule | null;
  other: FramingForm;
  onOther: (form: FramingForm) => void;
}) {
  const { own } = props;
  return (
    <div className="dt-send-row">
      <select
        aria-label="Send framing"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as SendFraming)}
      >
        <option value="none">send raw (no framing)</option>
        <option value="connection" disabled={!own}>
          {own
            ? `frame with the connection's rule (${describeFramingRule(own)})`
            : "frame with the connection's rule (none set)"}
        </option>
        <option value="other">frame with another rule</option>
      </select>
      {props.value === 'other' && (
        <FramingFields form={props.other} onChange={props.onOther} label="Send framing rule" />
      )}
    </div>
  );
}
